// The API's security check before a handler runs: authentication (--auth none|jwt|entra),
// the per-client rate limit, then authorization of the route's data action by role.
// Immutable after Create (the validators' caches and the rate limiter lock themselves);
// Admit is thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "auth/jwt_validator.h"
#include "auth/token_issuer.h"
#include "common/status.h"
#include "server/access_log.h"
#include "server/auth_config.h"
#include "server/auth_policy.h"
#include "server/http_message.h"
#include "server/rate_limiter.h"

namespace dtwin::server {

// Who made a request.
struct Caller {
  bool anonymous = true;  // --auth none: nobody was authenticated
  std::string client_id;  // appid / azp
  std::string object_id;  // oid
  std::vector<Role> roles;

  // For the audit log: "client:<id>", "oid:<id>", "sub:<subject>" or "anonymous".
  std::string identity;
};

class AuthGuard {
 public:
  // mode: none, jwt or entra (ValidateAuthSettings has checked settings). issuer, when not
  // null, signs tokens the jwt and entra modes accept too; it must outlive the guard. Reads
  // the --jwks file. log (may be null) gets a line saying why each refused request was.
  static Result<std::unique_ptr<AuthGuard>> Create(std::string_view mode,
                                                   const AuthSettings& settings,
                                                   const auth::TokenIssuer* issuer, AccessLog* log);

  // For a request that routed to an API route (path is its path): the caller, or the answer
  // to send instead: 401 (ADT's body) for a missing or invalid token, 429 with Retry-After
  // over the rate limit, 403 Forbidden when the caller's roles lack the route's data action.
  std::variant<Caller, HttpResponse> Admit(const HttpRequest& request, std::string_view path) const;

  // The roles a validated token gives: its roles claim (spellings ParseRole takes; others are
  // ignored) plus the role assignments of its client id and object id.
  std::vector<Role> RolesOf(const auth::ValidatedToken& token) const;

 private:
  AuthGuard() = default;

  Result<Caller> Authenticate(const HttpRequest& request,
                              std::chrono::system_clock::time_point now) const;
  void LogRefusal(const HttpRequest& request, int status, std::string_view reason) const;

  bool enforce_ = false;  // false for --auth none
  std::vector<std::unique_ptr<auth::JwtValidator>> validators_;
  std::multimap<std::string, Role, std::less<>> assignments_;  // by principal
  DataActionTable actions_;
  std::unique_ptr<RateLimiter> limiter_;  // null when the rate limit is off
  AccessLog* log_ = nullptr;
};

}  // namespace dtwin::server
