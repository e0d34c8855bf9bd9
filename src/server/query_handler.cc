// POST /query: routed (so clients get a clear ADT-style 400 rather than a 404) until the
// query engine lands.
#include "server/api_error.h"
#include "server/api_routes.h"

namespace dtwin::server {

void AddQueryRoutes(Router& router) {
  router.Add(HttpMethod::kPost, "/query", [](const RequestContext&, Responder respond) {
    respond(ErrorResponse(
        Status(ErrorCode::kBadRequest,
               "the query API arrives with the query engine (not yet implemented); list twins' "
               "relationships with GET /digitaltwins/{id}/relationships meanwhile")));
  });
}

}  // namespace dtwin::server
