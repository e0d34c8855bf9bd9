// dtwin extensions for event delivery: /extensions/endpoints (the configured endpoints with
// their delivery counters, secrets masked), their dead letters (list, replay), and /metrics
// (Prometheus text).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "common/clock.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/handler_support.h"
#include "server/paging_links.h"

namespace dtwin::server {

namespace {

namespace json = boost::json;
using service::DigitalTwinsService;

json::object EndpointToJson(const events::EndpointInfo& endpoint) {
  const events::EndpointStats& stats = endpoint.stats;
  return json::object{
      {"name", endpoint.name},
      {"kind", endpoint.kind},
      {"url", endpoint.display_url},
      {"delivered", stats.delivered},
      {"retried", stats.retried},
      {"failed", stats.failed},
      {"deadLettered", stats.dead_lettered},
      {"queueDepth", stats.queue_depth},
  };
}

json::object DeadLetterToJson(const service::DeadLetter& letter) {
  boost::system::error_code error;
  json::value event = json::parse(letter.event_json, error);  // our own serializer's output
  return json::object{
      {"id", std::to_string(letter.id)},
      {"endpoint", letter.endpoint},
      {"reason", letter.reason},
      {"deadLetteredAt", FormatAdtTime(letter.dead_lettered_at)},
      {"committedAt", FormatAdtTime(letter.committed_at)},
      {"event", std::move(event)},
  };
}

void ListEndpoints(const DigitalTwinsService& service, const RequestContext&,
                   const Responder& respond) {
  json::array value;
  for (const events::EndpointInfo& endpoint : service.ListEndpoints()) {
    value.push_back(EndpointToJson(endpoint));
  }
  respond(JsonResponse(200, json::value(json::object{{"value", std::move(value)}})));
}

void GetEndpoint(const DigitalTwinsService& service, const RequestContext& context,
                 const Responder& respond) {
  Result<events::EndpointInfo> endpoint = service.GetEndpoint(context.param(0));
  if (!endpoint.ok()) return respond(ErrorResponse(endpoint.status()));
  respond(JsonResponse(200, json::value(EndpointToJson(*endpoint))));
}

void ListDeadLetters(const DigitalTwinsService& service, const RequestContext& context,
                     const Responder& respond) {
  Result<service::PageRequest> page_request = context.Page();
  if (!page_request.ok()) return respond(ErrorResponse(page_request.status()));
  Result<service::Page<service::DeadLetter>> page =
      service.ListDeadLetters(context.param(0), *page_request);
  if (!page.ok()) return respond(ErrorResponse(page.status()));
  json::array value;
  for (const service::DeadLetter& letter : page->items) value.push_back(DeadLetterToJson(letter));
  respond(JsonResponse(200,
                       json::value(PageBody(std::move(value), NextLink(context, page->continuation),
                                            PageKeyOrder::kValueFirst))));
}

void ReplayDeadLetters(DigitalTwinsService& service, const RequestContext& context,
                       const Responder& respond) {
  service.ReplayDeadLetters(context.param(0), [respond](Result<size_t> replayed) {
    if (!replayed.ok()) return respond(ErrorResponse(replayed.status()));
    respond(JsonResponse(200, json::value(json::object{{"replayed", *replayed}})));
  });
}

}  // namespace

void AddEndpointRoutes(Router& router, DigitalTwinsService& service) {
  router.Add(HttpMethod::kGet, "/extensions/endpoints", WithService(service, ListEndpoints));
  router.Add(HttpMethod::kGet, "/extensions/endpoints/{name}", WithService(service, GetEndpoint));
  router.Add(HttpMethod::kGet, "/extensions/endpoints/{name}/deadletters",
             WithService(service, ListDeadLetters));
  router.Add(HttpMethod::kPost, "/extensions/endpoints/{name}/deadletters/replay",
             WithService(service, ReplayDeadLetters));
}

void AddMetricsRoute(Router& router, const DigitalTwinsService& service) {
  router.Add(HttpMethod::kGet, "/metrics", [&service](const RequestContext&, Responder respond) {
    HttpResponse response;
    response.body = service.EventMetricsText();
    response.headers.push_back({"Content-Type", "text/plain; version=0.0.4; charset=utf-8"});
    respond(std::move(response));
  });
}

}  // namespace dtwin::server
