// Notification patches: rebuilt paths and the object difference.
#include "service/notification_patches.h"

#include <string>
#include <string_view>

#include "common/json_pointer.h"

namespace dtwin::service {

namespace json = boost::json;

namespace {

bool IsServiceMember(std::string_view name) {
  return name == "$dtId" || name == "$etag" || name == "$metadata" || name == "$lastUpdateTime" ||
         name == "$relationshipId" || name == "$sourceId" || name == "$targetId" ||
         name == "$relationshipName";
}

json::object Operation(std::string_view op, const std::string& path, const json::value* value) {
  json::object operation;
  if (value != nullptr) operation["value"] = *value;
  operation["path"] = path;
  operation["op"] = op;
  return operation;
}

void Diff(const json::object& before, const json::object& after, const std::string& prefix,
          json::array& out) {
  for (const auto& [name, old_value] : before) {
    if (IsServiceMember(name) || after.contains(name)) continue;
    out.push_back(Operation("remove", prefix + "/" + EscapeJsonPointerToken(name), nullptr));
  }
  for (const auto& [name, new_value] : after) {
    if (IsServiceMember(name)) continue;
    const std::string path = prefix + "/" + EscapeJsonPointerToken(name);
    const json::value* old_value = before.if_contains(name);
    if (old_value == nullptr) {
      out.push_back(Operation("add", path, &new_value));
    } else if (old_value->is_object() && new_value.is_object()) {
      Diff(old_value->get_object(), new_value.get_object(), path, out);
    } else if (*old_value != new_value) {
      out.push_back(Operation("replace", path, &new_value));
    }
  }
}

}  // namespace

json::array NotificationPatch(const JsonPatch& patch) {
  json::array out;
  out.reserve(patch.size());
  for (const PatchOperation& op : patch) {
    out.push_back(Operation(PatchOpName(op.kind), JoinJsonPointer(op.tokens),
                            op.kind == PatchOpKind::kRemove ? nullptr : &op.value));
  }
  return out;
}

json::array ChangePatch(const json::object& before, const json::object& after) {
  json::array out;
  Diff(before, after, "", out);
  return out;
}

}  // namespace dtwin::service
