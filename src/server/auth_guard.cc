// Authentication, rate limiting and authorization of API requests.
#include "server/auth_guard.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "auth/jose_text.h"
#include "server/api_error.h"
#include "server/url_encoding.h"

namespace dtwin::server {
namespace {

Result<auth::Jwks> ReadJwksFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kInvalidArgument, "cannot read the JWKS file '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  Result<auth::Jwks> jwks = auth::ParseJwks(text.str());
  if (!jwks.ok()) {
    return Status(ErrorCode::kInvalidArgument, path + ": " + jwks.status().message());
  }
  return jwks;
}

// The credential of "Authorization: Bearer <token>" (scheme case-insensitive, RFC 7235), or
// an Unauthorized status saying what is missing.
Result<std::string_view> BearerToken(const HttpRequest& request) {
  std::optional<std::string_view> header = request.Header("Authorization");
  if (!header) return Status(ErrorCode::kUnauthorized, "no Authorization header");
  constexpr std::string_view kScheme = "bearer ";
  if (header->size() <= kScheme.size() || !EqualsIgnoreCase(header->substr(0, 7), kScheme)) {
    return Status(ErrorCode::kUnauthorized, "the Authorization header is not 'Bearer <token>'");
  }
  std::string_view token = header->substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return Status(ErrorCode::kUnauthorized, "the bearer token is empty");
  return token;
}

std::string IdentityOf(const auth::ValidatedToken& token) {
  if (!token.client_id.empty()) return "client:" + auth::Printable(token.client_id, 128);
  if (!token.object_id.empty()) return "oid:" + auth::Printable(token.object_id, 128);
  return "sub:" + auth::Printable(token.subject, 128);
}

}  // namespace

Result<std::unique_ptr<AuthGuard>> AuthGuard::Create(std::string_view mode,
                                                     const AuthSettings& settings,
                                                     const auth::TokenIssuer* issuer,
                                                     AccessLog* log) {
  std::unique_ptr<AuthGuard> guard(new AuthGuard());
  guard->enforce_ = mode != "none";
  guard->log_ = log;
  if (settings.rate_limit > 0) guard->limiter_ = std::make_unique<RateLimiter>(settings.rate_limit);
  for (const RoleAssignment& assignment : settings.role_assignments) {
    if (std::optional<Role> role = ParseRole(assignment.role)) {
      guard->assignments_.emplace(assignment.principal, *role);
    }
  }
  if (!guard->enforce_) return guard;

  if (!settings.jwks_file.empty()) {
    Result<auth::Jwks> jwks = ReadJwksFile(settings.jwks_file);
    if (!jwks.ok()) return jwks.status();
    auth::JwtValidatorOptions options;
    options.issuers = mode == "entra" ? auth::EntraIssuers(settings.tenant) : settings.jwt_issuers;
    guard->validators_.push_back(
        std::make_unique<auth::JwtValidator>(std::move(options), std::move(*jwks)));
  }
  if (issuer != nullptr) {
    // A validator of its own: the file's keys must not vouch for the built-in issuer's iss,
    // nor the built-in key for the file's issuers.
    auth::JwtValidatorOptions options;
    options.issuers = {issuer->issuer()};
    guard->validators_.push_back(std::make_unique<auth::JwtValidator>(options, issuer->jwks()));
  }
  return guard;
}

std::vector<Role> AuthGuard::RolesOf(const auth::ValidatedToken& token) const {
  std::vector<Role> roles;
  auto add = [&roles](Role role) {
    if (std::find(roles.begin(), roles.end(), role) == roles.end()) roles.push_back(role);
  };
  for (const std::string& name : token.roles) {
    if (std::optional<Role> role = ParseRole(name)) add(*role);
  }
  for (const std::string& principal : {token.client_id, token.object_id}) {
    if (principal.empty()) continue;
    auto [begin, end] = assignments_.equal_range(principal);
    for (auto it = begin; it != end; ++it) add(it->second);
  }
  return roles;
}

Result<Caller> AuthGuard::Authenticate(const HttpRequest& request,
                                       std::chrono::system_clock::time_point now) const {
  if (!enforce_) return Caller{true, "", "", {Role::kDataOwner}, "anonymous"};
  Result<std::string_view> token = BearerToken(request);
  if (!token.ok()) return token.status();
  Status failure(ErrorCode::kUnauthorized, "no token issuer is configured");
  for (const auto& validator : validators_) {
    Result<auth::ValidatedToken> validated = validator->Validate(*token, now);
    if (validated.ok()) {
      return Caller{false, validated->client_id, validated->object_id, RolesOf(*validated),
                    IdentityOf(*validated)};
    }
    // The first validator's reason unless a later one knew the key: "unknown kid" from one
    // validator is expected when the token belongs to the other.
    if (&validator == &validators_.front() || failure.message().find("kid") != std::string::npos) {
      failure = validated.status();
    }
  }
  return failure;
}

void AuthGuard::LogRefusal(const HttpRequest& request, int status, std::string_view reason) const {
  if (log_ == nullptr) return;
  log_->RecordAuthFailure(std::chrono::system_clock::now(), MethodName(request.method),
                          request.target, status, reason);
}

std::variant<Caller, HttpResponse> AuthGuard::Admit(const HttpRequest& request,
                                                    std::string_view path) const {
  Result<Caller> caller = Authenticate(request, std::chrono::system_clock::now());
  if (!caller.ok()) {
    LogRefusal(request, 401, caller.status().message());
    return UnauthorizedResponse(request.Header("Authorization").has_value());
  }

  if (limiter_ != nullptr) {
    // One bucket per client; callers without an identity (--auth none) per address.
    const std::string key = !caller->client_id.empty()   ? "client:" + caller->client_id
                            : !caller->object_id.empty() ? "oid:" + caller->object_id
                                                         : "address:" + request.remote_address;
    RateLimiter::Clock::duration wait = limiter_->Acquire(key, RateLimiter::Clock::now());
    if (wait > RateLimiter::Clock::duration::zero()) {
      const auto seconds = std::chrono::ceil<std::chrono::seconds>(wait).count();
      HttpResponse response = ErrorResponse(
          Status(ErrorCode::kQuotaReachedError,
                 "Maximum request rate limit reached for this client (the server's --rate-limit); "
                 "retry after " +
                     std::to_string(seconds) + " seconds."));
      response.headers.push_back({"Retry-After", std::to_string(seconds)});
      return response;
    }
  }

  std::optional<DataAction> action = actions_.Find(request.method, path);
  bool allowed = false;
  if (action) {
    for (Role role : caller->roles) allowed = allowed || RoleGrants(role, *action);
  }
  if (!allowed) {
    const std::string needed =
        action ? std::string(DataActionName(*action)) : std::string("an unlisted data action");
    LogRefusal(request, 403, caller->identity + " lacks " + needed);
    return ErrorResponse(Status(ErrorCode::kForbidden,
                                "The caller is not authorized to perform this operation: it "
                                "needs the data action " +
                                    needed +
                                    ", which its roles do not grant (Azure Digital Twins Data "
                                    "Owner or Data Reader; see docs/security.md)."));
  }
  return std::move(*caller);
}

}  // namespace dtwin::server
