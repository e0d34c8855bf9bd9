// `dtwin serve` security settings: authentication (--auth none|jwt|entra), role assignments,
// the built-in token issuer and the rate limit; their flags and their checks. Parsing only.
// Plain values; thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/token_issuer.h"
#include "common/status.h"

namespace dtwin::server {

// [[role_assignments]]: a role for a caller, by its client id (appid/azp) or object id (oid).
struct RoleAssignment {
  std::string principal;
  std::string role;  // any spelling ParseRole takes
};

struct AuthSettings {
  // --auth none on an address other than loopback: refused unless this is set.
  bool allow_insecure_remote = false;
  std::string jwks_file;                 // --jwks: public keys of the token issuer (jwt, entra)
  std::vector<std::string> jwt_issuers;  // --jwt-issuer: accepted iss values (jwt)
  std::string tenant;                    // --tenant: the Entra tenant id (entra)
  std::vector<RoleAssignment> role_assignments;
  bool issuer_enabled = false;  // --issuer: serve the built-in token issuer
  auth::TokenIssuerOptions issuer;
  double rate_limit = 0;  // --rate-limit: requests per second per client; 0 is off
};

// "auth jwt (...)": the startup line's description of the mode.
std::string AuthSummary(std::string_view mode, const AuthSettings& settings);

// The startup hint of the built-in issuer: its authority (the first https URL of urls) and
// the environment variables with which DefaultAzureCredential gets its tokens.
std::string IssuerHint(const std::vector<std::string>& urls);

// Whether --name is one of the flags above.
bool IsAuthFlag(std::string_view name);

// Applies one such flag (name without the leading "--").
Status ApplyAuthFlag(std::string_view name, const std::string& value, AuthSettings& settings);

// Whether a top-level TOML key belongs to these settings.
bool IsAuthSetting(std::string_view name);

// The checks once all sources are applied: mode is none, jwt or entra; each mode has what it
// needs; roles are spelled as ParseRole takes them; --auth none listens on loopback only
// (every one of listen_hosts) unless allow_insecure_remote.
Status ValidateAuthSettings(std::string_view mode, const std::vector<std::string>& listen_hosts,
                            const AuthSettings& settings);

}  // namespace dtwin::server
