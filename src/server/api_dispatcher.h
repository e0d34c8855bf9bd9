// The API's front door, independent of the transport: request-size policy, routing (404,
// 405), authentication, rate limit and authorization (AuthGuard), api-version, then the
// route's handler; an audit line per write; every response gets ADT's common headers.
// Immutable after construction; Dispatch may run on many threads at once.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "server/access_log.h"
#include "server/auth_guard.h"
#include "server/http_message.h"
#include "server/router.h"

namespace dtwin::server {

// ADT's request payload limit (twins, relationships, patches, telemetry, routes, query).
inline constexpr size_t kPayloadLimit = 32 * 1024;
// POST /models takes up to 250 models of up to 1 MB each in ADT; we cap the upload at 32 MB.
inline constexpr size_t kModelUploadLimit = 32 * 1024 * 1024;

// What the dispatcher enforces besides routing. The pointees must outlive the dispatcher.
struct ApiSecurity {
  const AuthGuard* guard = nullptr;  // null: every request passes (handler tests)
  AccessLog* audit_log = nullptr;    // null: no audit lines
  // Routes served before the API ones, with neither api-version nor token: the built-in
  // token issuer's.
  Router open_routes;
};

class ApiDispatcher {
 public:
  explicit ApiDispatcher(Router router, ApiSecurity security = {});

  // The largest body the transport should read for this request.
  size_t BodyLimitFor(HttpMethod method, std::string_view target) const;

  // The answer for a body over BodyLimitFor: 400 InvalidArgument over ADT's 32 KB payload
  // limit (ADT documents the limit but no status for it; 400 is what a user can act on like
  // any other invalid payload), 413 PayloadTooLarge over the model-upload cap.
  HttpResponse BodyTooLarge(HttpMethod method, std::string_view target) const;

  // Routes and runs the request; respond is called exactly once (possibly later, from
  // another thread). post runs a task on the connection's own thread.
  void Dispatch(HttpRequest request, Responder respond, Poster post) const;

  // Adds the headers every response carries: Content-Type on JSON bodies and the echo of
  // x-ms-client-request-id. Dispatch applies it; the transport applies it to its own errors.
  static void AddCommonHeaders(const std::vector<HttpHeader>& request_headers,
                               HttpResponse& response);

 private:
  Router router_;
  ApiSecurity security_;
};

}  // namespace dtwin::server
