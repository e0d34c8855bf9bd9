// Assembles the route table.
#include "server/api_routes.h"

namespace dtwin::server {

Router BuildApiRouter(service::DigitalTwinsService& service) {
  Router router;
  AddModelRoutes(router, service);
  AddTwinRoutes(router, service);
  AddRelationshipRoutes(router, service);
  AddTelemetryRoutes(router, service);
  AddEventRouteRoutes(router, service);
  AddQueryRoutes(router, service);
  AddEndpointRoutes(router, service);
  return router;
}

}  // namespace dtwin::server
