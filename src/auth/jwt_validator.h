// Validation of bearer tokens (signed JWTs, RFC 7519) for --auth jwt|entra: RS256/ES256
// signature against a JWKS, lifetime, issuer and audience, then the caller's identity and
// roles. Validate is const and thread-safe (its cache is guarded by mu_); the options and
// keys are immutable after construction, so a key rotation is a new validator.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "auth/jwks.h"
#include "auth/openssl_ptr.h"
#include "common/status.h"

namespace dtwin::auth {

// The audiences ADT accepts: v1 tokens carry the resource URI, v2 tokens the ADT first-party
// app id (reference/adt-api.md section 10); the SDK scope's form with a trailing slash too.
inline const std::vector<std::string> kAdtAudiences = {"https://digitaltwins.azure.net",
                                                       "0b07f429-9f4b-4714-9392-cc5e8e80c8b0",
                                                       "https://digitaltwins.azure.net/"};

// The issuers of Entra ID tokens for a tenant: v1 (sts.windows.net) and v2
// (login.microsoftonline.com).
std::vector<std::string> EntraIssuers(std::string_view tenant_id);

struct JwtValidatorOptions {
  // Allowed iss values, compared exactly. Empty accepts no token: an issuer is never guessed.
  std::vector<std::string> issuers;
  // Allowed aud values; a token passes when its aud (a string or an array) holds one of them.
  std::vector<std::string> audiences = kAdtAudiences;
  // Tolerance on exp and nbf for clocks that disagree: 5 minutes, as Entra-protected
  // services (Microsoft.IdentityModel's default ClockSkew) allow.
  std::chrono::seconds clock_skew{300};
  // Validated tokens remembered until they expire; 0 turns the cache off.
  size_t cache_capacity = 4096;
  // Longer tokens are rejected before any work (Entra tokens are 1-4 KB).
  size_t max_token_bytes = 16 * 1024;
};

// Who the token says the caller is. Claims that are absent are empty.
struct ValidatedToken {
  std::string issuer;                             // iss
  std::string subject;                            // sub
  std::string object_id;                          // oid: the caller's directory object
  std::string client_id;                          // appid (v1 tokens) or azp (v2 tokens)
  std::string tenant_id;                          // tid
  std::vector<std::string> roles;                 // roles: app roles granted to the caller
  std::chrono::system_clock::time_point expires;  // exp
  // Start of validity: nbf, or the earliest time when the token has none.
  std::chrono::system_clock::time_point not_before;

  bool operator==(const ValidatedToken&) const = default;
};

class JwtValidator {
 public:
  JwtValidator(JwtValidatorOptions options, Jwks jwks);

  // The caller's identity, or Unauthorized with a message saying what was wrong (never
  // containing the token). Accepts only alg RS256 and ES256 with a key of the JWKS named by
  // kid; exp is required, nbf optional, both with options.clock_skew. A token validated
  // before is answered from the cache (its lifetime still checked against now).
  Result<ValidatedToken> Validate(std::string_view token,
                                  std::chrono::system_clock::time_point now) const;

  // How many tokens the cache holds (for tests and metrics).
  size_t cached_tokens() const;

 private:
  using Digest = std::array<unsigned char, 32>;  // SHA-256 of a token
  struct DigestHash {
    size_t operator()(const Digest& digest) const {
      size_t hash;  // the digest is uniform already: any 8 bytes of it make a hash
      std::memcpy(&hash, digest.data(), sizeof(hash));
      return hash;
    }
  };

  Result<ValidatedToken> ValidateUncached(std::string_view token,
                                          std::chrono::system_clock::time_point now) const;
  Status CheckLifetime(const ValidatedToken& token,
                       std::chrono::system_clock::time_point now) const;
  void Remember(const Digest& digest, const ValidatedToken& token,
                std::chrono::system_clock::time_point now) const;

  const JwtValidatorOptions options_;
  const Jwks jwks_;
  const EvpMdPtr sha256_;  // fetched once: an implicit fetch per digest costs a lock

  mutable std::mutex mu_;
  // Keyed by the token's SHA-256, so a hit needs the same token (no collision can stand in
  // for another caller's token) and the cache holds no bearer credential. Guarded by mu_.
  mutable std::unordered_map<Digest, ValidatedToken, DigestHash> cache_;
};

}  // namespace dtwin::auth
