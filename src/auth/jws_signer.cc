// JWS signing and public JWK export with OpenSSL 3 EVP.
#include "auth/jws_signer.h"

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>

#include <boost/json/serialize.hpp>
#include <vector>

#include "auth/openssl_ptr.h"
#include "common/base64url.h"

namespace dtwin::auth {
namespace {

namespace json = boost::json;

constexpr int kEs256Half = 32;  // bytes of r and of s in an ES256 signature

Status OpenSslFailed(std::string_view what) {
  return Status(ErrorCode::kInternal, "OpenSSL failed to " + std::string(what));
}

// A big-endian BIGNUM parameter of key in base64url, left-padded to width bytes when > 0.
Result<std::string> BignumParam(EVP_PKEY* key, const char* name, int width) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) return OpenSslFailed("read a key parameter");
  const BignumPtr number(raw);
  std::string bytes(width > 0 ? static_cast<size_t>(width) : BN_num_bytes(number.get()), '\0');
  auto* out = reinterpret_cast<unsigned char*>(bytes.data());
  if (width > 0 ? BN_bn2binpad(number.get(), out, width) != width
                : BN_bn2bin(number.get(), out) != static_cast<int>(bytes.size())) {
    return OpenSslFailed("encode a key parameter");
  }
  return Base64UrlEncode(bytes);
}

}  // namespace

Result<std::string> SignCompactJws(std::string_view signing_input, EVP_PKEY* key, JwkType type) {
  const EvpMdCtxPtr context(EVP_MD_CTX_new());
  const auto* input = reinterpret_cast<const unsigned char*>(signing_input.data());
  size_t size = 0;
  if (!context || EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &size, input, signing_input.size()) != 1) {
    return OpenSslFailed("start a signature");
  }
  std::vector<unsigned char> signature(size);
  if (EVP_DigestSign(context.get(), signature.data(), &size, input, signing_input.size()) != 1) {
    return OpenSslFailed("sign");
  }
  std::string raw(reinterpret_cast<const char*>(signature.data()), size);
  if (type == JwkType::kEcP256) {
    // OpenSSL writes ECDSA signatures as DER; JWS wants r || s.
    const unsigned char* der = signature.data();
    const EcdsaSigPtr ecdsa(d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(size)));
    if (!ecdsa) return OpenSslFailed("decode an ECDSA signature");
    raw.assign(2 * kEs256Half, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    if (BN_bn2binpad(ECDSA_SIG_get0_r(ecdsa.get()), out, kEs256Half) != kEs256Half ||
        BN_bn2binpad(ECDSA_SIG_get0_s(ecdsa.get()), out + kEs256Half, kEs256Half) != kEs256Half) {
      return OpenSslFailed("encode an ECDSA signature");
    }
  }
  return std::string(signing_input) + "." + Base64UrlEncode(raw);
}

std::string JwsSigningInput(const json::object& header, const json::object& claims) {
  return Base64UrlEncode(json::serialize(header)) + "." + Base64UrlEncode(json::serialize(claims));
}

Result<json::object> PublicJwkOf(EVP_PKEY* key, JwkType type, std::string_view kid) {
  if (type == JwkType::kRsa) {
    Result<std::string> n = BignumParam(key, OSSL_PKEY_PARAM_RSA_N, 0);
    Result<std::string> e = BignumParam(key, OSSL_PKEY_PARAM_RSA_E, 0);
    if (!n.ok()) return n.status();
    if (!e.ok()) return e.status();
    return json::object{{"kty", "RSA"},   {"kid", kid}, {"use", "sig"},
                        {"alg", "RS256"}, {"n", *n},    {"e", *e}};
  }
  Result<std::string> x = BignumParam(key, OSSL_PKEY_PARAM_EC_PUB_X, kEs256Half);
  Result<std::string> y = BignumParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, kEs256Half);
  if (!x.ok()) return x.status();
  if (!y.ok()) return y.status();
  return json::object{{"kty", "EC"},    {"kid", kid}, {"use", "sig"}, {"alg", "ES256"},
                      {"crv", "P-256"}, {"x", *x},    {"y", *y}};
}

}  // namespace dtwin::auth
