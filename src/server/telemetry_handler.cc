// POST /digitaltwins/{id}[/components/{component}]/telemetry: 204 once the telemetry event is
// durable. Message-Id is required; Telemetry-Source-Time is passed through as given.
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/handler_support.h"

namespace dtwin::server {

namespace {

using service::DigitalTwinsService;

// The current header, or the 2020-05-31-preview name old clients still send.
std::string_view HeaderOrLegacy(const RequestContext& context, std::string_view name,
                                std::string_view legacy_name) {
  if (std::optional<std::string_view> value = context.Header(name)) return *value;
  return context.Header(legacy_name).value_or("");
}

void SendTelemetry(DigitalTwinsService& service, const RequestContext& context,
                   std::string_view component, Responder respond) {
  std::string_view message_id = HeaderOrLegacy(context, "Message-Id", "dt-id");
  if (message_id.empty()) {
    return respond(ErrorResponse(
        Status(ErrorCode::kInvalidArgument,
               "the Message-Id header is required: a unique id for this telemetry message (it "
               "becomes the id of the telemetry event)")));
  }
  // Any JSON is accepted: the JS SDK 1.1.0 sends component telemetry with its arguments
  // swapped (the body is the message id as a JSON string).
  Result<boost::json::value> body = context.JsonBody();
  if (!body.ok()) return respond(ErrorResponse(body.status()));
  service.SendTelemetry(context.param(0), component, *body, message_id,
                        HeaderOrLegacy(context, "Telemetry-Source-Time", "dt-timestamp"),
                        NoContentOr(std::move(respond)));
}

}  // namespace

void AddTelemetryRoutes(Router& router, DigitalTwinsService& service) {
  router.Add(HttpMethod::kPost, "/digitaltwins/{id}/telemetry",
             [&service](const RequestContext& context, Responder respond) {
               SendTelemetry(service, context, "", std::move(respond));
             });
  router.Add(HttpMethod::kPost, "/digitaltwins/{id}/components/{component}/telemetry",
             [&service](const RequestContext& context, Responder respond) {
               SendTelemetry(service, context, context.param(1), std::move(respond));
             });
}

}  // namespace dtwin::server
