// The built-in token issuer (`dtwin serve --issuer true`): OAuth2 client credentials for the
// clients of the config file, answered with short-lived ES256 JWTs for ADT's audience, signed
// with a P-256 key kept in the data directory. Immutable after Open; Issue is thread-safe.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "auth/jwks.h"
#include "auth/openssl_ptr.h"
#include "common/status.h"

namespace dtwin::auth {

struct IssuerClient {
  std::string client_id;
  std::string secret_sha256;       // lowercase hex SHA-256 of the secret (SecretSha256Hex)
  std::vector<std::string> roles;  // copied into the tokens' roles claim
};

struct TokenIssuerOptions {
  std::string issuer = "https://dtwin.localhost/issuer";  // iss of the tokens
  std::vector<IssuerClient> clients;
  std::chrono::seconds token_lifetime{3600};  // Entra's default for client credentials
};

// The form fields of a token request (RFC 6749 section 4.4), plus the tenant of its path.
struct TokenRequest {
  std::string grant_type;
  std::string client_id;
  std::string client_secret;
  std::string scope;
  std::string tenant;
};

// An OAuth2 error answer (RFC 6749 section 5.2): error is "invalid_client", "invalid_request",
// "unsupported_grant_type" or "invalid_scope".
struct OAuthError {
  int http_status = 400;
  std::string error;
  std::string description;  // says what was wrong; never repeats the secret
};

struct IssuedToken {
  std::string access_token;
  std::chrono::seconds expires_in{};
};

// Lowercase hex SHA-256 of secret: the secret_sha256 of a client.
std::string SecretSha256Hex(std::string_view secret);

// A new random client secret (32 bytes, base64url).
std::string NewClientSecret();

class TokenIssuer {
 public:
  // Loads the signing key from key_path, or creates it there (mode 0600) when the file does
  // not exist. A key file readable by group or others is refused, as ssh refuses one.
  static Result<std::unique_ptr<TokenIssuer>> Open(TokenIssuerOptions options,
                                                   const std::filesystem::path& key_path);

  // A token for a known client with the right secret (compared in constant time), grant type
  // client_credentials and a scope of ADT (".default" of one of kAdtAudiences), or absent.
  std::variant<IssuedToken, OAuthError> Issue(const TokenRequest& request,
                                              std::chrono::system_clock::time_point now) const;

  const std::string& issuer() const { return options_.issuer; }
  // {"keys":[...]}: the public key, as served at the discovery document's jwks_uri.
  const std::string& jwks_json() const { return jwks_json_; }
  // The same keys for a JwtValidator.
  const Jwks& jwks() const { return jwks_; }

 private:
  TokenIssuer(TokenIssuerOptions options, EvpPkeyPtr key, std::string kid, std::string jwks_json,
              Jwks jwks);

  const TokenIssuerOptions options_;
  const std::map<std::string, const IssuerClient*, std::less<>> clients_;  // into options_
  const EvpPkeyPtr key_;
  const std::string kid_;
  const std::string jwks_json_;
  const Jwks jwks_;
};

}  // namespace dtwin::auth
