// The ADT data-plane route table: one Add* function per resource, each in its own
// *_handler.cc, mapping HTTP onto DigitalTwinsService. The handlers hold a reference to the
// service, which must outlive the router.
#pragma once

#include "server/router.h"
#include "service/digital_twins_service.h"

namespace dtwin::server {

void AddModelRoutes(Router& router, service::DigitalTwinsService& service);
void AddTwinRoutes(Router& router, service::DigitalTwinsService& service);
void AddRelationshipRoutes(Router& router, service::DigitalTwinsService& service);
void AddTelemetryRoutes(Router& router, service::DigitalTwinsService& service);
void AddEventRouteRoutes(Router& router, service::DigitalTwinsService& service);
void AddQueryRoutes(Router& router, service::DigitalTwinsService& service);

// Every route above.
Router BuildApiRouter(service::DigitalTwinsService& service);

}  // namespace dtwin::server
