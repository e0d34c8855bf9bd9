// Decoders and encoders of the ADT wire's JSON (see wire_codec.h).
#include "client/wire_codec.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <cstdint>
#include <string_view>
#include <utility>

#include "dtwin/client/errors.h"

namespace dtwin::client {
namespace {

[[noreturn]] void ThrowUnexpected(const HttpResponse& response, const std::string& what) {
  std::string request_id(response.Header("x-ms-request-id").value_or(""));
  throw DigitalTwinsError(response.status, kUnexpectedResponse,
                          "the service's answer is not what the API defines: " + what, request_id);
}

boost::json::value ParseBody(const HttpResponse& response) {
  boost::system::error_code parse_error;
  boost::json::value value = boost::json::parse(
      response.body, parse_error,
      boost::json::make_shared_resource<boost::json::monotonic_resource>(response.body.size() * 2));
  if (parse_error)
    ThrowUnexpected(response, "the body is not JSON (" + parse_error.message() + ")");
  return value;
}

// member of object when it is a string; nullopt when absent or null.
std::optional<std::string> OptionalString(const boost::json::object& object,
                                          std::string_view member, const HttpResponse& response) {
  const boost::json::value* value = object.if_contains(member);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!value->is_string())
    ThrowUnexpected(response, "\"" + std::string(member) + "\" is not a string");
  return std::string(value->as_string());
}

std::string RequiredString(const boost::json::object& object, std::string_view member,
                           const HttpResponse& response) {
  std::optional<std::string> value = OptionalString(object, member, response);
  if (!value) ThrowUnexpected(response, "\"" + std::string(member) + "\" is missing");
  return std::move(*value);
}

boost::json::object OptionalObject(const boost::json::object& object, std::string_view member,
                                   const HttpResponse& response) {
  const boost::json::value* value = object.if_contains(member);
  if (value == nullptr || value->is_null()) return {};
  if (!value->is_object())
    ThrowUnexpected(response, "\"" + std::string(member) + "\" is not an object");
  return value->as_object();
}

// A non-negative integer member (a counter); nullopt when absent or null.
std::optional<uint64_t> OptionalCount(const boost::json::object& object, std::string_view member,
                                      const HttpResponse& response) {
  const boost::json::value* value = object.if_contains(member);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (value->is_uint64()) return value->as_uint64();
  if (value->is_int64() && value->as_int64() >= 0) return static_cast<uint64_t>(value->as_int64());
  ThrowUnexpected(response, "\"" + std::string(member) + "\" is not a count");
}

const boost::json::object& AsObject(const boost::json::value& json, const HttpResponse& response) {
  if (!json.is_object()) ThrowUnexpected(response, "an item is not a JSON object");
  return json.as_object();
}

// A page's "value" array, moved out of the body.
boost::json::array TakeValueArray(boost::json::object& body, const HttpResponse& response) {
  boost::json::value* value = body.if_contains("value");
  if (value == nullptr || !value->is_array())
    ThrowUnexpected(response, "\"value\" is not an array");
  return std::move(value->as_array());
}

std::optional<std::string> NonEmpty(std::optional<std::string> text) {
  if (text && text->empty()) return std::nullopt;
  return text;
}

}  // namespace

boost::json::object ResponseObject(const HttpResponse& response) {
  boost::json::value value = ParseBody(response);
  if (!value.is_object()) ThrowUnexpected(response, "the body is not a JSON object");
  return std::move(value.as_object());
}

boost::json::array ResponseArray(const HttpResponse& response) {
  boost::json::value value = ParseBody(response);
  if (!value.is_array()) ThrowUnexpected(response, "the body is not a JSON array");
  return std::move(value.as_array());
}

ListPage ResponseListPage(const HttpResponse& response) {
  boost::json::object body = ResponseObject(response);
  ListPage page;
  page.value = TakeValueArray(body, response);
  page.next_link = NonEmpty(OptionalString(body, "nextLink", response));
  return page;
}

QueryPage ResponseQueryPage(const HttpResponse& response) {
  boost::json::object body = ResponseObject(response);
  QueryPage page;
  page.value = TakeValueArray(body, response);
  page.continuation_token = NonEmpty(OptionalString(body, "continuationToken", response));
  return page;
}

boost::json::object ObjectFromJson(boost::json::value&& json, const HttpResponse& response) {
  AsObject(json, response);
  return std::move(json.as_object());
}

ModelData ModelDataFromJson(const boost::json::value& json, const HttpResponse& response) {
  const boost::json::object& object = AsObject(json, response);
  ModelData model;
  model.id = RequiredString(object, "id", response);
  model.display_name = OptionalObject(object, "displayName", response);
  model.description = OptionalObject(object, "description", response);
  model.upload_time = OptionalString(object, "uploadTime", response);
  if (const boost::json::value* decommissioned = object.if_contains("decommissioned")) {
    if (!decommissioned->is_bool())
      ThrowUnexpected(response, "\"decommissioned\" is not a boolean");
    model.decommissioned = decommissioned->as_bool();
  }
  if (const boost::json::value* definition = object.if_contains("model");
      definition != nullptr && !definition->is_null()) {
    if (!definition->is_object()) ThrowUnexpected(response, "\"model\" is not an object");
    model.model = definition->as_object();
  }
  return model;
}

IncomingRelationship IncomingRelationshipFromJson(const boost::json::value& json,
                                                  const HttpResponse& response) {
  const boost::json::object& object = AsObject(json, response);
  IncomingRelationship relationship;
  relationship.relationship_id = RequiredString(object, "$relationshipId", response);
  relationship.source_id = RequiredString(object, "$sourceId", response);
  relationship.relationship_name = RequiredString(object, "$relationshipName", response);
  relationship.relationship_link =
      OptionalString(object, "$relationshipLink", response).value_or("");
  return relationship;
}

EventRoute EventRouteFromJson(const boost::json::value& json, const HttpResponse& response) {
  const boost::json::object& object = AsObject(json, response);
  EventRoute route;
  route.id = OptionalString(object, "id", response).value_or("");
  route.endpoint_name = RequiredString(object, "endpointName", response);
  route.filter = RequiredString(object, "filter", response);
  return route;
}

EndpointInfo EndpointInfoFromJson(const boost::json::value& json, const HttpResponse& response) {
  const boost::json::object& object = AsObject(json, response);
  EndpointInfo endpoint;
  endpoint.name = RequiredString(object, "name", response);
  endpoint.kind = RequiredString(object, "kind", response);
  endpoint.url = RequiredString(object, "url", response);
  endpoint.delivered = OptionalCount(object, "delivered", response).value_or(0);
  endpoint.retried = OptionalCount(object, "retried", response).value_or(0);
  endpoint.failed = OptionalCount(object, "failed", response).value_or(0);
  endpoint.dead_lettered = OptionalCount(object, "deadLettered", response).value_or(0);
  endpoint.queue_depth = OptionalCount(object, "queueDepth", response).value_or(0);
  return endpoint;
}

DeadLetter DeadLetterFromJson(boost::json::value&& json, const HttpResponse& response) {
  AsObject(json, response);
  boost::json::object& object = json.as_object();
  DeadLetter letter;
  letter.id = RequiredString(object, "id", response);
  letter.endpoint = RequiredString(object, "endpoint", response);
  letter.reason = OptionalString(object, "reason", response).value_or("");
  letter.dead_lettered_at = OptionalString(object, "deadLetteredAt", response).value_or("");
  letter.committed_at = OptionalString(object, "committedAt", response).value_or("");
  boost::json::value* event = object.if_contains("event");
  if (event == nullptr || !event->is_object()) {
    ThrowUnexpected(response, "\"event\" is not an object");
  }
  letter.event = std::move(event->as_object());  // events can be large
  return letter;
}

uint64_t ResponseReplayedCount(const HttpResponse& response) {
  std::optional<uint64_t> replayed = OptionalCount(ResponseObject(response), "replayed", response);
  if (!replayed) ThrowUnexpected(response, "\"replayed\" is missing");
  return *replayed;
}

boost::json::object EventRouteToJson(const EventRoute& route) {
  return {{"endpointName", route.endpoint_name}, {"filter", route.filter}};
}

}  // namespace dtwin::client
