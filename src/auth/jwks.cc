// JWKS parsing into OpenSSL public keys (see the header).
#include "auth/jwks.h"

#include <openssl/core_names.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <utility>

#include "auth/jose_text.h"
#include "auth/openssl_ptr.h"
#include "common/json_reader.h"

namespace dtwin::auth {
namespace {

namespace json = boost::json;

// Below this an RSA key is too weak to trust (NIST SP 800-131A; Entra's keys are 2048 bits).
constexpr int kMinRsaBits = 2048;
constexpr size_t kP256CoordinateBytes = 32;

// Why a key is left out, or the key.
struct KeyOrReason {
  EvpPkeyPtr key;
  std::string reason;
};

// The string member name of key, or nullopt when it is absent or not a string.
std::optional<std::string_view> StringMember(const json::object& key, std::string_view name) {
  const json::value* value = key.if_contains(name);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string_view(value->get_string());
}

// The base64url member name decoded, or nullopt (absent, not a string, not base64url, empty).
std::optional<std::string> BytesMember(const json::object& key, std::string_view name) {
  const std::optional<std::string_view> text = StringMember(key, name);
  std::string bytes;
  if (!text || !DecodeBase64UrlStrict(*text, bytes) || bytes.empty()) return std::nullopt;
  return bytes;
}

// A public key of the given OpenSSL type from params; nullptr when OpenSSL rejects them.
EvpPkeyPtr KeyFromParams(const char* type, OSSL_PARAM_BLD* builder) {
  const OsslParamPtr params(OSSL_PARAM_BLD_to_param(builder));
  const EvpPkeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !context || EVP_PKEY_fromdata_init(context.get()) <= 0 ||
      EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) {
    return nullptr;
  }
  return EvpPkeyPtr(key);
}

KeyOrReason RsaKey(const json::object& jwk) {
  const std::optional<std::string> n = BytesMember(jwk, "n");
  const std::optional<std::string> e = BytesMember(jwk, "e");
  if (!n || !e) return {nullptr, "RSA key needs base64url members n and e"};
  const auto* n_bytes = reinterpret_cast<const unsigned char*>(n->data());
  const auto* e_bytes = reinterpret_cast<const unsigned char*>(e->data());
  const BignumPtr modulus(BN_bin2bn(n_bytes, static_cast<int>(n->size()), nullptr));
  const BignumPtr exponent(BN_bin2bn(e_bytes, static_cast<int>(e->size()), nullptr));
  const OsslParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (!modulus || !exponent || !builder ||
      !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) ||
      !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get())) {
    return {nullptr, "RSA key could not be built"};
  }
  EvpPkeyPtr key = KeyFromParams("RSA", builder.get());
  if (!key) return {nullptr, "OpenSSL rejects the RSA key"};
  if (EVP_PKEY_get_bits(key.get()) < kMinRsaBits) {
    return {nullptr, "RSA key of " + std::to_string(EVP_PKEY_get_bits(key.get())) +
                         " bits is shorter than " + std::to_string(kMinRsaBits)};
  }
  return {std::move(key), ""};
}

KeyOrReason EcP256Key(const json::object& jwk) {
  const std::optional<std::string_view> curve = StringMember(jwk, "crv");
  if (curve != "P-256") return {nullptr, "EC curve other than P-256"};
  const std::optional<std::string> x = BytesMember(jwk, "x");
  const std::optional<std::string> y = BytesMember(jwk, "y");
  if (!x || !y || x->size() != kP256CoordinateBytes || y->size() != kP256CoordinateBytes) {
    return {nullptr, "EC P-256 key needs base64url members x and y of 32 bytes"};
  }
  // The uncompressed point encoding (SEC 1 section 2.3.3): 0x04 || x || y.
  const std::string point = '\x04' + *x + *y;
  const OsslParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      !OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1",
                                       0) ||
      !OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                        point.size())) {
    return {nullptr, "EC key could not be built"};
  }
  EvpPkeyPtr key = KeyFromParams("EC", builder.get());
  // A point off the curve would leak the verifier's secrets in ECDH; for ECDSA it is simply
  // not a key, so say so rather than fail every signature later.
  const EvpPkeyCtxPtr check(key ? EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr)
                                : nullptr);
  if (!check || EVP_PKEY_public_check(check.get()) <= 0) {
    return {nullptr, "EC point is not on the P-256 curve"};
  }
  return {std::move(key), ""};
}

KeyOrReason KeyOf(const json::object& jwk, JwkType& type) {
  const std::optional<std::string_view> use = StringMember(jwk, "use");
  if (jwk.contains("use") && use != "sig") return {nullptr, "use is not \"sig\""};
  const std::optional<std::string_view> kty = StringMember(jwk, "kty");
  const std::optional<std::string_view> alg = StringMember(jwk, "alg");
  if (kty == "RSA") {
    if (jwk.contains("alg") && alg != "RS256")
      return {nullptr, "RSA key for an alg other than RS256"};
    type = JwkType::kRsa;
    return RsaKey(jwk);
  }
  if (kty == "EC") {
    if (jwk.contains("alg") && alg != "ES256")
      return {nullptr, "EC key for an alg other than ES256"};
    type = JwkType::kEcP256;
    return EcP256Key(jwk);
  }
  if (!kty) return {nullptr, "no kty"};
  return {nullptr, "kty " + QuoteUntrusted(*kty) + " is not supported"};
}

}  // namespace

const Jwk* Jwks::Find(std::string_view kid) const {
  const auto found = keys.find(kid);
  return found == keys.end() ? nullptr : &found->second;
}

Result<Jwks> ParseJwks(std::string_view text) {
  Result<json::value> document = ReadJson(text);
  if (!document.ok()) {
    return Status(ErrorCode::kInvalidArgument, "JWKS is not JSON: " + document.status().message());
  }
  const json::object* root = document->if_object();
  const json::value* keys = root ? root->if_contains("keys") : nullptr;
  if (keys == nullptr || !keys->is_array()) {
    return Status(ErrorCode::kInvalidArgument, "JWKS is not an object with a \"keys\" array");
  }
  Jwks jwks;
  const json::array& entries = keys->get_array();
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string where = "keys/" + std::to_string(i);
    const json::object* jwk = entries[i].if_object();
    if (jwk == nullptr) {
      jwks.ignored.push_back(where + ": not an object");
      continue;
    }
    const std::optional<std::string_view> kid = StringMember(*jwk, "kid");
    if (!kid || kid->empty()) {
      jwks.ignored.push_back(where + ": no kid (tokens name their key by kid)");
      continue;
    }
    const std::string named = where + " (kid " + QuoteUntrusted(*kid) + ")";
    if (jwks.keys.contains(*kid)) {
      jwks.ignored.push_back(named + ": duplicate kid");
      continue;
    }
    JwkType type = JwkType::kRsa;
    KeyOrReason key = KeyOf(*jwk, type);
    if (!key.key) {
      jwks.ignored.push_back(named + ": " + key.reason);
      continue;
    }
    jwks.keys.emplace(std::string(*kid),
                      Jwk{std::string(*kid), type, std::shared_ptr<EVP_PKEY>(std::move(key.key))});
  }
  if (jwks.keys.empty()) {
    std::string message = "JWKS has no usable key";
    for (size_t i = 0; i < jwks.ignored.size(); ++i) {
      message += (i == 0 ? ": " : "; ") + jwks.ignored[i];
    }
    return Status(ErrorCode::kInvalidArgument, std::move(message));
  }
  return jwks;
}

}  // namespace dtwin::auth
