// Twin documents and their metadata: what PUT stores and what PATCH re-stamps.
#include "service/twin_document.h"

#include <boost/json/array.hpp>
#include <string>

#include "common/json_pointer.h"
#include "dtdl/instance_formats.h"

namespace dtwin::service {

namespace json = boost::json;

namespace {

// ADT's limits (adt-api.md section 9).
constexpr size_t kMaxStringBytes = 4 * 1024;
constexpr size_t kMaxNameBytes = 1024;

// Walks value; pointer is its JSON Pointer, extended in place on the way down.
Status CheckSizes(const json::value& value, std::string& pointer, std::string_view what) {
  if (value.is_string()) {
    if (value.get_string().size() > kMaxStringBytes) {
      return Status(ErrorCode::kValidationFailed,
                    "Invalid " + std::string(what) + " specified: the string at " + pointer +
                        " is " + std::to_string(value.get_string().size()) +
                        " bytes long; string values are limited to 4 KB (4096 bytes of UTF-8)");
    }
    return Status::Ok();
  }
  const size_t length = pointer.size();
  if (value.is_object()) {
    for (const json::key_value_pair& member : value.get_object()) {
      pointer += '/';
      AppendEscapedJsonPointerToken(member.key(), pointer);
      if (member.key().size() > kMaxNameBytes) {
        return Status(ErrorCode::kValidationFailed,
                      "Invalid " + std::string(what) + " specified: the name of the member at " +
                          pointer.substr(0, 80) + "... is " + std::to_string(member.key().size()) +
                          " bytes long; property names are limited to 1 KB (1024 bytes of UTF-8)");
      }
      if (Status status = CheckSizes(member.value(), pointer, what); !status.ok()) return status;
      pointer.resize(length);
    }
  } else if (value.is_array()) {
    const json::array& array = value.get_array();
    for (size_t i = 0; i < array.size(); ++i) {
      pointer += '/';
      pointer += std::to_string(i);
      if (Status status = CheckSizes(array[i], pointer, what); !status.ok()) return status;
      pointer.resize(length);
    }
  }
  return Status::Ok();
}

// The stored metadata of one property: lastUpdateTime = now and the client's sourceTime.
Result<json::object> PropertyMetadata(const json::value* client, std::string_view now,
                                      const std::string& where) {
  json::object metadata;
  metadata["lastUpdateTime"] = now;
  if (client != nullptr && client->is_object()) {
    if (const json::value* source_time = client->get_object().if_contains("sourceTime")) {
      if (Status status = CheckSourceTime(*source_time, where + "/sourceTime"); !status.ok()) {
        return status;
      }
      metadata["sourceTime"] = *source_time;
    }
  }
  return metadata;
}

// Copies the non-$ members of body into out: components (is_component(name)) stamped as
// components, properties as they are with metadata entries built from body's "$metadata".
// prefix is body's JSON Pointer, for errors.
template <typename IsComponent>
Status CopyMembers(const json::object& body, std::string_view now, std::string_view prefix,
                   IsComponent is_component, json::object& out, json::object& metadata) {
  const json::value* client_metadata = body.if_contains("$metadata");
  const json::object* client = client_metadata != nullptr && client_metadata->is_object()
                                   ? &client_metadata->get_object()
                                   : nullptr;
  for (const json::key_value_pair& member : body) {
    if (member.key().starts_with('$')) continue;
    std::string where(prefix);
    where += '/';
    if (is_component(member.key())) {
      AppendEscapedJsonPointerToken(member.key(), where);
      // ValidateTwin has checked that every component is an object.
      Result<json::object> component = StampComponent(member.value().get_object(), now, where);
      if (!component.ok()) return std::move(component).status();
      out[member.key()] = std::move(component).value();
      continue;
    }
    out[member.key()] = member.value();
    where += "$metadata/";
    AppendEscapedJsonPointerToken(member.key(), where);
    Result<json::object> entry = PropertyMetadata(
        client != nullptr ? client->if_contains(member.key()) : nullptr, now, where);
    if (!entry.ok()) return std::move(entry).status();
    metadata[member.key()] = std::move(entry).value();
  }
  return Status::Ok();
}

}  // namespace

const dtdl::Element* FindContentOf(const dtdl::Element& interface, std::string_view name,
                                   dtdl::ElementClass element_class) {
  auto it = interface.all_contents.find(std::string(name));
  if (it == interface.all_contents.end() || it->second->element_class != element_class) {
    return nullptr;
  }
  return it->second;
}

Status CheckSizeLimits(const json::value& body, std::string_view what) {
  std::string pointer;
  return CheckSizes(body, pointer, what);
}

Status CheckSourceTime(const json::value& value, std::string_view where) {
  if (value.is_string() && dtdl::IsDtdlDateTime(value.get_string())) return Status::Ok();
  return Status(ErrorCode::kValidationFailed,
                std::string(where) +
                    " must be an RFC 3339 date-time string (e.g. 2022-05-31T12:00:00.000125009Z)");
}

Result<json::object> BuildTwinDocument(std::string_view id, std::string_view etag,
                                       std::string_view model_id, const json::object& body,
                                       const dtdl::Element& interface, std::string_view now) {
  json::object document;
  document["$dtId"] = id;
  document["$etag"] = etag;
  json::object metadata;
  metadata["$model"] = model_id;
  metadata["$lastUpdateTime"] = now;
  Status copied = CopyMembers(
      body, now, "",
      [&](std::string_view name) {
        return FindContentOf(interface, name, dtdl::ElementClass::kComponent) != nullptr;
      },
      document, metadata);
  if (!copied.ok()) return copied;
  document["$metadata"] = std::move(metadata);
  return document;
}

Result<json::object> StampComponent(const json::object& component, std::string_view now,
                                    std::string_view where) {
  json::object out;
  json::object metadata;
  metadata["$lastUpdateTime"] = now;
  Status copied = CopyMembers(
      component, now, where, [](std::string_view) { return false; }, out, metadata);
  if (!copied.ok()) return copied;
  out["$metadata"] = std::move(metadata);
  return out;
}

void TouchProperty(json::object& metadata, std::string_view name, std::string_view now) {
  json::value& entry = metadata[name];
  if (!entry.is_object()) entry = json::object();
  entry.get_object()["lastUpdateTime"] = now;
}

}  // namespace dtwin::service
