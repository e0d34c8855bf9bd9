// Bearer-token validation and its per-token cache (see the header).
#include "auth/jwt_validator.h"

#include <openssl/ecdsa.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <utility>

#include "auth/jose_text.h"
#include "common/clock.h"
#include "common/json_reader.h"

namespace dtwin::auth {
namespace {

namespace json = boost::json;
using Clock = std::chrono::system_clock;

constexpr size_t kEs256SignatureBytes = 64;  // r || s, 32 bytes each (RFC 7518 section 3.4)
// NumericDates are clamped to [0, this] (year 2220) so they fit system_clock's nanoseconds.
constexpr double kMaxNumericDate = 8'000'000'000.0;

Status Unauthorized(std::string message) {
  return Status(ErrorCode::kUnauthorized, std::move(message));
}

// The parts of a compact JWS: header.payload.signature.
struct TokenParts {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
  std::string_view signing_input;  // header.payload: what the signature covers
};

std::optional<TokenParts> SplitToken(std::string_view token) {
  const size_t first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  return TokenParts{token.substr(0, first), token.substr(first + 1, second - first - 1),
                    token.substr(second + 1), token.substr(0, second)};
}

// A base64url part of the token decoded and parsed as a JSON object; what names the part.
Result<json::object> DecodeJsonPart(std::string_view part, std::string_view what) {
  std::string text;
  if (!DecodeBase64UrlStrict(part, text)) {
    return Unauthorized("token " + std::string(what) + " is not base64url");
  }
  Result<json::value> value = ReadJson(text);
  if (!value.ok()) {
    // The reader's message may quote a member name of any length: keep the gist.
    constexpr size_t kMaxReason = 120;
    return Unauthorized("token " + std::string(what) +
                        " is not JSON: " + Printable(value.status().message(), kMaxReason));
  }
  if (!value->is_object())
    return Unauthorized("token " + std::string(what) + " is not a JSON object");
  return std::move(value->get_object());
}

// The JWS signature as OpenSSL verifies it: RS256 as is, ES256 from r || s to DER.
std::optional<std::string> SignatureForOpenSsl(JwkType type, std::string signature) {
  if (type == JwkType::kRsa) return signature;
  if (signature.size() != kEs256SignatureBytes) return std::nullopt;
  const auto* bytes = reinterpret_cast<const unsigned char*>(signature.data());
  constexpr int kHalf = kEs256SignatureBytes / 2;
  BignumPtr r(BN_bin2bn(bytes, kHalf, nullptr));
  BignumPtr s(BN_bin2bn(bytes + kHalf, kHalf, nullptr));
  const EcdsaSigPtr ecdsa(ECDSA_SIG_new());
  if (!r || !s || !ecdsa || !ECDSA_SIG_set0(ecdsa.get(), r.get(), s.get())) return std::nullopt;
  (void)r.release();  // ECDSA_SIG_set0 took ownership of both
  (void)s.release();
  unsigned char* der = nullptr;
  const int der_size = i2d_ECDSA_SIG(ecdsa.get(), &der);
  if (der_size <= 0) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(der_size));
  OPENSSL_free(der);
  return out;
}

bool SignatureVerifies(const Jwk& key, std::string_view signing_input,
                       const std::string& signature) {
  const EvpMdCtxPtr context(EVP_MD_CTX_new());
  return context &&
         EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key.key.get()) > 0 &&
         EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()),
                          signing_input.size()) == 1;
}

// A NumericDate claim (seconds since the epoch, possibly fractional); nullopt when absent.
Result<std::optional<Clock::time_point>> TimeClaim(const json::object& claims,
                                                   std::string_view name) {
  const json::value* value = claims.if_contains(name);
  if (value == nullptr) return std::optional<Clock::time_point>();
  if (!value->is_number()) return Unauthorized(std::string(name) + " claim is not a number");
  const double seconds = std::clamp(value->to_number<double>(), 0.0, kMaxNumericDate);
  return std::optional<Clock::time_point>(Clock::time_point(
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds))));
}

// A string claim, "" when absent; an error when it has another type.
Status StringClaim(const json::object& claims, std::string_view name, std::string& out) {
  const json::value* value = claims.if_contains(name);
  if (value == nullptr) return Status::Ok();
  if (!value->is_string()) return Unauthorized(std::string(name) + " claim is not a string");
  out = value->get_string();
  return Status::Ok();
}

Status CheckAudience(const json::object& claims, const std::vector<std::string>& audiences) {
  const json::value* aud = claims.if_contains("aud");
  if (aud == nullptr) return Unauthorized("token has no aud claim");
  const auto allowed = [&](const json::value& value) {
    return value.is_string() && std::find(audiences.begin(), audiences.end(),
                                          std::string_view(value.get_string())) != audiences.end();
  };
  if (aud->is_string()) {
    if (allowed(*aud)) return Status::Ok();
    return Unauthorized("audience " + QuoteUntrusted(aud->get_string()) + " is not accepted");
  }
  if (!aud->is_array()) return Unauthorized("aud claim is neither a string nor an array");
  const json::array& values = aud->get_array();
  if (std::any_of(values.begin(), values.end(), allowed)) return Status::Ok();
  return Unauthorized("none of the token's " + std::to_string(values.size()) +
                      " audiences is accepted");
}

Result<std::vector<std::string>> RolesClaim(const json::object& claims) {
  std::vector<std::string> roles;
  const json::value* value = claims.if_contains("roles");
  if (value == nullptr) return roles;
  const json::array* array = value->if_array();
  if (array == nullptr) return Unauthorized("roles claim is not an array");
  for (const json::value& role : *array) {
    if (!role.is_string()) return Unauthorized("roles claim holds a value that is not a string");
    roles.emplace_back(role.get_string());
  }
  return roles;
}

}  // namespace

std::vector<std::string> EntraIssuers(std::string_view tenant_id) {
  const std::string tenant(tenant_id);
  return {"https://sts.windows.net/" + tenant + "/",
          "https://login.microsoftonline.com/" + tenant + "/v2.0"};
}

JwtValidator::JwtValidator(JwtValidatorOptions options, Jwks jwks)
    : options_(std::move(options)),
      jwks_(std::move(jwks)),
      sha256_(EVP_MD_fetch(nullptr, "SHA256", nullptr)) {}

size_t JwtValidator::cached_tokens() const {
  std::lock_guard lock(mu_);
  return cache_.size();
}

Result<ValidatedToken> JwtValidator::Validate(std::string_view token, Clock::time_point now) const {
  Digest digest;
  const bool cacheable =
      options_.cache_capacity > 0 && token.size() <= options_.max_token_bytes && sha256_ &&
      EVP_Digest(token.data(), token.size(), digest.data(), nullptr, sha256_.get(), nullptr) == 1;
  if (cacheable) {
    std::optional<ValidatedToken> cached;
    {
      std::lock_guard lock(mu_);
      const auto found = cache_.find(digest);
      if (found != cache_.end()) cached = found->second;
    }
    if (cached) {
      if (Status lifetime = CheckLifetime(*cached, now); !lifetime.ok()) return lifetime;
      return *std::move(cached);
    }
  }
  Result<ValidatedToken> result = ValidateUncached(token, now);
  if (cacheable && result.ok()) Remember(digest, *result, now);
  return result;
}

Result<ValidatedToken> JwtValidator::ValidateUncached(std::string_view token,
                                                      Clock::time_point now) const {
  if (token.empty()) return Unauthorized("the bearer token is empty");
  if (token.size() > options_.max_token_bytes) {
    return Unauthorized("token is longer than " + std::to_string(options_.max_token_bytes) +
                        " bytes");
  }
  const std::optional<TokenParts> parts = SplitToken(token);
  if (!parts) return Unauthorized("token is not three parts separated by '.' (a signed JWT)");

  Result<json::object> header = DecodeJsonPart(parts->header, "header");
  if (!header.ok()) return std::move(header).status();
  const json::value* alg = header->if_contains("alg");
  if (alg == nullptr || !alg->is_string()) return Unauthorized("token header has no alg");
  const std::string_view alg_name = alg->get_string();
  if (alg_name == "none") return Unauthorized("alg \"none\" (an unsigned token) is not accepted");
  if (alg_name.starts_with("HS")) {
    return Unauthorized("alg " + QuoteUntrusted(alg_name) +
                        " (a shared-secret signature) is not accepted");
  }
  if (alg_name != "RS256" && alg_name != "ES256") {
    return Unauthorized("alg " + QuoteUntrusted(alg_name) +
                        " is not supported (RS256 and ES256 are)");
  }
  // RFC 7515 section 4.1.11: a token with extensions the recipient does not know is invalid.
  if (header->contains("crit"))
    return Unauthorized("token header has crit, which is not supported");
  const json::value* kid = header->if_contains("kid");
  if (kid == nullptr || !kid->is_string()) return Unauthorized("token header has no kid");
  const Jwk* key = jwks_.Find(kid->get_string());
  if (key == nullptr) {
    return Unauthorized("no key with kid " + QuoteUntrusted(kid->get_string()) + " in the JWKS");
  }
  const JwkType needed = alg_name == "RS256" ? JwkType::kRsa : JwkType::kEcP256;
  if (key->type != needed) {
    return Unauthorized("alg " + std::string(alg_name) + " does not match the type of key " +
                        QuoteUntrusted(key->kid));
  }

  std::string signature;
  if (!DecodeBase64UrlStrict(parts->signature, signature)) {
    return Unauthorized("token signature is not base64url");
  }
  const std::optional<std::string> der = SignatureForOpenSsl(key->type, std::move(signature));
  if (!der || !SignatureVerifies(*key, parts->signing_input, *der)) {
    return Unauthorized("token signature does not verify with key " + QuoteUntrusted(key->kid));
  }

  // Claims are read only once the signature says who wrote them.
  Result<json::object> claims = DecodeJsonPart(parts->payload, "payload");
  if (!claims.ok()) return std::move(claims).status();
  ValidatedToken validated;
  Result<std::optional<Clock::time_point>> exp = TimeClaim(*claims, "exp");
  if (!exp.ok()) return std::move(exp).status();
  if (!*exp) return Unauthorized("token has no exp claim");
  validated.expires = **exp;
  Result<std::optional<Clock::time_point>> nbf = TimeClaim(*claims, "nbf");
  if (!nbf.ok()) return std::move(nbf).status();
  validated.not_before = nbf->value_or(Clock::time_point());
  if (Status lifetime = CheckLifetime(validated, now); !lifetime.ok()) return lifetime;

  if (Status status = StringClaim(*claims, "iss", validated.issuer); !status.ok()) return status;
  if (!claims->contains("iss")) return Unauthorized("token has no iss claim");
  if (std::find(options_.issuers.begin(), options_.issuers.end(), validated.issuer) ==
      options_.issuers.end()) {
    return Unauthorized("issuer " + QuoteUntrusted(validated.issuer) + " is not accepted");
  }
  if (Status status = CheckAudience(*claims, options_.audiences); !status.ok()) return status;

  for (const auto& [name, field] :
       {std::pair{"sub", &validated.subject}, std::pair{"oid", &validated.object_id},
        std::pair{"tid", &validated.tenant_id}, std::pair{"azp", &validated.client_id},
        std::pair{"appid", &validated.client_id}}) {
    if (Status status = StringClaim(*claims, name, *field); !status.ok()) return status;
  }
  Result<std::vector<std::string>> roles = RolesClaim(*claims);
  if (!roles.ok()) return std::move(roles).status();
  validated.roles = std::move(roles).value();
  return validated;
}

Status JwtValidator::CheckLifetime(const ValidatedToken& token, Clock::time_point now) const {
  if (now > token.expires + options_.clock_skew) {
    return Unauthorized("token expired at " + FormatAdtTime(token.expires) + " (now " +
                        FormatAdtTime(now) + ", clock skew " +
                        std::to_string(options_.clock_skew.count()) + " s)");
  }
  if (now + options_.clock_skew < token.not_before) {
    return Unauthorized("token is not valid before " + FormatAdtTime(token.not_before) + " (now " +
                        FormatAdtTime(now) + ", clock skew " +
                        std::to_string(options_.clock_skew.count()) + " s)");
  }
  return Status::Ok();
}

void JwtValidator::Remember(const Digest& digest, const ValidatedToken& token,
                            Clock::time_point now) const {
  std::lock_guard lock(mu_);
  if (cache_.size() >= options_.cache_capacity) {
    std::erase_if(cache_, [&](const auto& entry) {
      return now > entry.second.expires + options_.clock_skew;
    });
  }
  // Still full of live tokens: the one expiring first has the least left to give.
  if (cache_.size() >= options_.cache_capacity) {
    cache_.erase(std::min_element(cache_.begin(), cache_.end(), [](const auto& a, const auto& b) {
      return a.second.expires < b.second.expires;
    }));
  }
  cache_.insert_or_assign(digest, token);
}

}  // namespace dtwin::auth
