// Store record codecs. Decoding checks every field the service relies on, so a damaged
// store is reported at start-up naming the record, rather than misbehaving later.
#include "service/store_records.h"

#include <boost/json/value.hpp>
#include <optional>

#include "common/clock.h"
#include "common/json_reader.h"
#include "common/json_writer.h"

namespace dtwin::service {

namespace json = boost::json;

namespace {

Status Corrupt(std::string_view what, std::string_view why) {
  return Status(ErrorCode::kInternal,
                "the store is damaged: " + std::string(what) + " " + std::string(why));
}

// The record text as a JSON object, or why not.
Result<json::object> ReadObject(std::string_view what, std::string_view text) {
  Result<json::value> value = ReadJson(text);
  if (!value.ok()) return Corrupt(what, "is not JSON: " + value.status().message());
  if (!value->is_object()) return Corrupt(what, "is not a JSON object");
  return std::move(value->get_object());
}

// The string member name of object, or nullopt.
std::optional<std::string> StringMember(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string(value->get_string());
}

}  // namespace

std::string EncodeModelRecord(const json::object& model,
                              std::chrono::system_clock::time_point upload_time,
                              bool decommissioned, uint64_t batch) {
  json::object record;
  record["model"] = model;
  record["uploadTime"] = FormatAdtTime(upload_time);
  record["decommissioned"] = decommissioned;
  record["batch"] = batch;
  return WriteJson(record);
}

Result<ModelRecord> DecodeModelRecord(std::string_view id, std::string_view text) {
  const std::string what = "the record of model " + std::string(id);
  Result<json::object> record = ReadObject(what, text);
  if (!record.ok()) return std::move(record).status();
  ModelRecord out;
  const json::value* model = record->if_contains("model");
  if (model == nullptr || !model->is_object()) return Corrupt(what, "has no \"model\" object");
  out.model = model->get_object();
  std::optional<std::string> upload_time = StringMember(*record, "uploadTime");
  std::optional<std::chrono::system_clock::time_point> parsed =
      upload_time ? ParseAdtTime(*upload_time) : std::nullopt;
  if (!parsed) return Corrupt(what, "has no valid \"uploadTime\"");
  out.upload_time = *parsed;
  const json::value* decommissioned = record->if_contains("decommissioned");
  if (decommissioned == nullptr || !decommissioned->is_bool()) {
    return Corrupt(what, "has no boolean \"decommissioned\"");
  }
  out.decommissioned = decommissioned->get_bool();
  const json::value* batch = record->if_contains("batch");
  if (batch == nullptr || !(batch->is_uint64() || (batch->is_int64() && batch->get_int64() >= 0))) {
    return Corrupt(what, "has no \"batch\" number");
  }
  out.batch = batch->is_uint64() ? batch->get_uint64() : static_cast<uint64_t>(batch->get_int64());
  return out;
}

Result<graph::Twin> DecodeTwinRecord(std::string_view id, std::string_view text) {
  const std::string what = "the document of twin " + std::string(id);
  Result<json::object> document = ReadObject(what, text);
  if (!document.ok()) return std::move(document).status();
  if (StringMember(*document, "$dtId") != id) return Corrupt(what, "has another \"$dtId\"");
  std::optional<std::string> etag = StringMember(*document, "$etag");
  if (!etag) return Corrupt(what, "has no \"$etag\"");
  const json::value* metadata = document->if_contains("$metadata");
  std::optional<std::string> model = metadata != nullptr && metadata->is_object()
                                         ? StringMember(metadata->get_object(), "$model")
                                         : std::nullopt;
  if (!model) return Corrupt(what, "has no \"$metadata.$model\"");
  return graph::Twin{std::string(id), std::move(*model), std::move(*etag),
                     std::move(document).value()};
}

Result<graph::Relationship> DecodeRelationshipRecord(std::string_view source_id,
                                                     std::string_view relationship_id,
                                                     std::string_view text) {
  const std::string what = "the document of relationship " + std::string(relationship_id) +
                           " of twin " + std::string(source_id);
  Result<json::object> document = ReadObject(what, text);
  if (!document.ok()) return std::move(document).status();
  if (StringMember(*document, "$relationshipId") != relationship_id ||
      StringMember(*document, "$sourceId") != source_id) {
    return Corrupt(what, "has another \"$relationshipId\" or \"$sourceId\"");
  }
  std::optional<std::string> target = StringMember(*document, "$targetId");
  std::optional<std::string> name = StringMember(*document, "$relationshipName");
  std::optional<std::string> etag = StringMember(*document, "$etag");
  if (!target || !name || !etag) {
    return Corrupt(what, "lacks \"$targetId\", \"$relationshipName\" or \"$etag\"");
  }
  return graph::Relationship{std::string(relationship_id),
                             std::string(source_id),
                             std::move(*target),
                             std::move(*name),
                             std::move(*etag),
                             std::move(document).value()};
}

std::string EncodeRouteRecord(const EventRoute& route) {
  json::object record;
  record["endpointName"] = route.endpoint_name;
  record["filter"] = route.filter;
  return WriteJson(record);
}

Result<EventRoute> DecodeRouteRecord(std::string_view id, std::string_view text) {
  const std::string what = "the record of event route " + std::string(id);
  Result<json::object> record = ReadObject(what, text);
  if (!record.ok()) return std::move(record).status();
  std::optional<std::string> endpoint = StringMember(*record, "endpointName");
  std::optional<std::string> filter = StringMember(*record, "filter");
  if (!endpoint || !filter) return Corrupt(what, "lacks \"endpointName\" or \"filter\"");
  return EventRoute{std::string(id), std::move(*endpoint), std::move(*filter)};
}

}  // namespace dtwin::service
