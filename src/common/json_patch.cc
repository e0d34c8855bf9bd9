// JSON Patch (RFC 6902) limited to ADT's add, replace and remove: parsing with positional
// errors and atomic application. Stateless; thread-safe.
#include "common/json_patch.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <charconv>
#include <string_view>

#include "common/json_pointer.h"

namespace dtwin {

namespace {

std::string_view KindName(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return "a number";
    case boost::json::kind::string:
      return "a string";
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::object:
      return "an object";
  }
  return "a value";
}

Status PatchError(std::string message) {
  return Status(ErrorCode::kJsonPatchInvalid, std::move(message));
}

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

// RFC 6901 array index: decimal, no leading zeros. "-" is handled by the callers.
bool ParseIndex(std::string_view token, size_t& index) {
  if (token.empty() || (token.size() > 1 && token[0] == '0')) return false;
  for (char c : token) {
    if (c < '0' || c > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
  return ec == std::errc() && ptr == token.data() + token.size();
}

// The index an operation names in array, or an explanation. insertion allows index == size
// (add inserts before it, i.e. appends).
bool ResolveIndex(const boost::json::array& array, const std::string& token, bool insertion,
                  size_t& index, std::string& why) {
  if (token == "-") {
    why = "\"-\" does not name an existing array element";
    return false;
  }
  if (!ParseIndex(token, index)) {
    why = Quoted(token) + " is not a valid array index";
    return false;
  }
  if (insertion ? index > array.size() : index >= array.size()) {
    why = "index " + token + " is out of range for an array of " + std::to_string(array.size()) +
          " element" + (array.size() == 1 ? "" : "s");
    return false;
  }
  return true;
}

// The container holding the operation's target (the value at all tokens but the last),
// or nullptr with why saying which step is missing.
boost::json::value* FindParent(boost::json::value& root, const std::vector<std::string>& tokens,
                               std::string& why) {
  boost::json::value* current = &root;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    const std::string& token = tokens[i];
    if (current->is_object()) {
      boost::json::object& object = current->get_object();
      auto it = object.find(token);
      if (it == object.end()) {
        why = "the member " + Quoted(token) + " does not exist";
        return nullptr;
      }
      current = &it->value();
    } else if (current->is_array()) {
      boost::json::array& array = current->get_array();
      size_t index = 0;
      if (!ResolveIndex(array, token, /*insertion=*/false, index, why)) return nullptr;
      current = &array[index];
    } else {
      const std::vector<std::string> prefix(tokens.begin(), tokens.begin() + i);
      why = "the value at " + Quoted(JoinJsonPointer(prefix)) + " is " +
            std::string(KindName(*current)) + ", not an object or array";
      return nullptr;
    }
  }
  if (!current->is_object() && !current->is_array()) {
    const std::vector<std::string> prefix(tokens.begin(), tokens.end() - 1);
    why = "the value at " + Quoted(JoinJsonPointer(prefix)) + " is " +
          std::string(KindName(*current)) + ", not an object or array";
    return nullptr;
  }
  return current;
}

// Applies one operation to root; false with why on failure (root may then be partly
// changed, which is why the caller works on a copy).
bool ApplyOne(const PatchOperation& op, boost::json::value& root, std::string& why) {
  if (op.tokens.empty()) {
    // The whole document: RFC 6902 lets add and replace swap it; removing it leaves nothing.
    if (op.kind == PatchOpKind::kRemove) {
      why = "the whole document cannot be removed";
      return false;
    }
    root = op.value;
    return true;
  }
  boost::json::value* parent = FindParent(root, op.tokens, why);
  if (parent == nullptr) return false;
  const std::string& last = op.tokens.back();
  if (parent->is_object()) {
    boost::json::object& object = parent->get_object();
    if (op.kind == PatchOpKind::kAdd) {
      object[last] = op.value;
      return true;
    }
    auto it = object.find(last);
    if (it == object.end()) {
      why = "the member " + Quoted(last) + " does not exist";
      return false;
    }
    if (op.kind == PatchOpKind::kReplace) {
      it->value() = op.value;
    } else {
      object.erase(it);
    }
    return true;
  }
  boost::json::array& array = parent->get_array();
  if (op.kind == PatchOpKind::kAdd && last == "-") {
    array.push_back(op.value);
    return true;
  }
  size_t index = 0;
  if (!ResolveIndex(array, last, op.kind == PatchOpKind::kAdd, index, why)) return false;
  switch (op.kind) {
    case PatchOpKind::kAdd:
      array.insert(array.begin() + index, op.value);
      break;
    case PatchOpKind::kReplace:
      array[index] = op.value;
      break;
    case PatchOpKind::kRemove:
      array.erase(array.begin() + index);
      break;
  }
  return true;
}

}  // namespace

std::string_view PatchOpName(PatchOpKind kind) {
  switch (kind) {
    case PatchOpKind::kAdd:
      return "add";
    case PatchOpKind::kReplace:
      return "replace";
    case PatchOpKind::kRemove:
      return "remove";
  }
  return "add";
}

Result<JsonPatch> ParseJsonPatch(const boost::json::value& document) {
  if (!document.is_array()) {
    return PatchError("a JSON patch must be an array of operations, not " +
                      std::string(KindName(document)));
  }
  const boost::json::array& operations = document.get_array();
  JsonPatch patch;
  patch.reserve(operations.size());
  for (size_t i = 0; i < operations.size(); ++i) {
    const std::string where = "operation " + std::to_string(i);
    if (!operations[i].is_object()) {
      return PatchError(where + ": an operation must be an object, not " +
                        std::string(KindName(operations[i])));
    }
    const boost::json::object& operation = operations[i].get_object();
    PatchOperation parsed;

    const boost::json::value* op = operation.if_contains("op");
    if (op == nullptr) return PatchError(where + ": missing \"op\"");
    if (!op->is_string()) {
      return PatchError(where + ": \"op\" must be a string, not " + std::string(KindName(*op)));
    }
    const std::string_view op_name(op->get_string().data(), op->get_string().size());
    if (op_name == "add") {
      parsed.kind = PatchOpKind::kAdd;
    } else if (op_name == "replace") {
      parsed.kind = PatchOpKind::kReplace;
    } else if (op_name == "remove") {
      parsed.kind = PatchOpKind::kRemove;
    } else if (op_name == "move" || op_name == "copy" || op_name == "test") {
      return PatchError(where + ": op " + Quoted(op_name) +
                        " is not supported; use add, replace or remove");
    } else {
      return PatchError(where + ": unknown op " + Quoted(op_name) + "; use add, replace or remove");
    }

    const boost::json::value* path = operation.if_contains("path");
    if (path == nullptr) return PatchError(where + ": missing \"path\"");
    if (!path->is_string()) {
      return PatchError(where + ": \"path\" must be a string, not " + std::string(KindName(*path)));
    }
    parsed.path.assign(path->get_string().data(), path->get_string().size());
    Result<std::vector<std::string>> tokens = ParseJsonPointer(parsed.path);
    if (!tokens.ok()) return PatchError(where + ": \"path\" is an " + tokens.status().message());
    parsed.tokens = std::move(tokens).value();

    if (parsed.kind != PatchOpKind::kRemove) {
      const boost::json::value* value = operation.if_contains("value");
      if (value == nullptr) {
        return PatchError(where + " (" + std::string(op_name) + " " + parsed.path +
                          "): missing \"value\"");
      }
      parsed.value = *value;
    }
    patch.push_back(std::move(parsed));
  }
  return patch;
}

Status ApplyJsonPatch(const JsonPatch& patch, boost::json::value& target) {
  if (patch.empty()) return Status::Ok();
  // Work on a copy and swap it in only when every operation succeeded, so a failing
  // operation never leaves the target half-patched.
  boost::json::value working = target;
  std::string why;
  for (size_t i = 0; i < patch.size(); ++i) {
    const PatchOperation& op = patch[i];
    if (!ApplyOne(op, working, why)) {
      return PatchError("operation " + std::to_string(i) + " (" +
                        std::string(PatchOpName(op.kind)) + " " + op.path + "): " + why);
    }
  }
  target.swap(working);
  return Status::Ok();
}

boost::json::value JsonPatchToJson(const JsonPatch& patch) {
  boost::json::array out;
  out.reserve(patch.size());
  for (const PatchOperation& op : patch) {
    boost::json::object entry;
    entry.emplace("op", PatchOpName(op.kind));
    entry.emplace("path", op.path);
    if (op.kind != PatchOpKind::kRemove) entry.emplace("value", op.value);
    out.emplace_back(std::move(entry));
  }
  return out;
}

}  // namespace dtwin
