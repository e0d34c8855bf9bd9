// The ADT data-plane route table: one Add* function per resource, each in its own
// *_handler.cc, mapping HTTP onto DigitalTwinsService. The handlers hold a reference to the
// service, which must outlive the router.
#pragma once

#include "auth/token_issuer.h"
#include "server/router.h"
#include "service/digital_twins_service.h"

namespace dtwin::server {

void AddModelRoutes(Router& router, service::DigitalTwinsService& service);
void AddTwinRoutes(Router& router, service::DigitalTwinsService& service);
void AddRelationshipRoutes(Router& router, service::DigitalTwinsService& service);
void AddTelemetryRoutes(Router& router, service::DigitalTwinsService& service);
void AddEventRouteRoutes(Router& router, service::DigitalTwinsService& service);
void AddQueryRoutes(Router& router, service::DigitalTwinsService& service);
// dtwin extensions: /extensions/endpoints, their dead letters (endpoints_handler.cc).
void AddEndpointRoutes(Router& router, service::DigitalTwinsService& service);

// Every route above.
Router BuildApiRouter(service::DigitalTwinsService& service);

// GET /metrics: event-delivery metrics in the Prometheus text format (endpoints_handler.cc).
// Served without api-version or token, as scrapers expect.
void AddMetricsRoute(Router& router, const service::DigitalTwinsService& service);

// The built-in token issuer (auth_issuer_handler.cc): discovery documents, token endpoint
// and keys. These routes take no api-version and no token; issuer must outlive the router.
void AddIssuerRoutes(Router& router, const auth::TokenIssuer& issuer);

}  // namespace dtwin::server
