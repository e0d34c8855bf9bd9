// /eventroutes: create-or-replace (204, no body), get, list (paged), delete.
#include <boost/json/array.hpp>

#include "server/adt_codec.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/handler_support.h"
#include "server/paging_links.h"

namespace dtwin::server {

namespace {

using service::DigitalTwinsService;
using service::EventRoute;

void ListEventRoutes(const DigitalTwinsService& service, const RequestContext& context,
                     const Responder& respond) {
  Result<service::PageRequest> page_request = context.Page();
  if (!page_request.ok()) return respond(ErrorResponse(page_request.status()));
  Result<service::Page<EventRoute>> page = service.ListEventRoutes(*page_request);
  if (!page.ok()) return respond(ErrorResponse(page.status()));
  boost::json::array value;
  for (const EventRoute& route : page->items) value.push_back(EventRouteToJson(route));
  respond(JsonResponse(
      200, boost::json::value(PageBody(std::move(value), NextLink(context, page->continuation),
                                       PageKeyOrder::kValueFirst))));
}

}  // namespace

void AddEventRouteRoutes(Router& router, DigitalTwinsService& service) {
  router.Add(HttpMethod::kGet, "/eventroutes", WithService(service, ListEventRoutes));
  router.Add(HttpMethod::kGet, "/eventroutes/{id}",
             [&service](const RequestContext& context, Responder respond) {
               Result<EventRoute> route = service.GetEventRoute(context.param(0));
               if (!route.ok()) return respond(ErrorResponse(route.status()));
               respond(JsonResponse(200, boost::json::value(EventRouteToJson(*route))));
             });
  router.Add(HttpMethod::kPut, "/eventroutes/{id}",
             [&service](const RequestContext& context, Responder respond) {
               Result<boost::json::value> body = context.JsonBody();
               if (!body.ok()) return respond(ErrorResponse(body.status()));
               service.PutEventRoute(context.param(0), *body, NoContentOr(std::move(respond)));
             });
  router.Add(HttpMethod::kDelete, "/eventroutes/{id}",
             [&service](const RequestContext& context, Responder respond) {
               service.DeleteEventRoute(context.param(0), NoContentOr(std::move(respond)));
             });
}

}  // namespace dtwin::server
