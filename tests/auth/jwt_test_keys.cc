// Test keys, JWKS and token signing (see the header).
#include "jwt_test_keys.h"

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/rsa.h>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "common/base64url.h"

namespace dtwin::auth::test {
namespace {

namespace json = boost::json;

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "jwt_test_keys: OpenSSL failed to %s\n", what);
  std::abort();
}

// A big-endian BIGNUM parameter of key, left-padded to width bytes when width > 0.
std::string BignumParam(const EVP_PKEY* key, const char* name, int width = 0) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) Fail("read a key parameter");
  const BignumPtr number(raw);
  std::string bytes(width > 0 ? static_cast<size_t>(width) : BN_num_bytes(number.get()), '\0');
  auto* out = reinterpret_cast<unsigned char*>(bytes.data());
  if (width > 0 ? BN_bn2binpad(number.get(), out, width) != width
                : BN_bn2bin(number.get(), out) != static_cast<int>(bytes.size())) {
    Fail("encode a key parameter");
  }
  return Base64UrlEncode(bytes);
}

}  // namespace

TestKey GenerateTestKey(std::string kid, JwkType type) {
  EvpPkeyPtr key(type == JwkType::kRsa ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256"));
  if (!key) Fail("generate a key");
  return TestKey{std::move(kid), type, std::move(key)};
}

json::object PublicJwk(const TestKey& key) {
  if (key.type == JwkType::kRsa) {
    return {{"kty", "RSA"},
            {"kid", key.kid},
            {"use", "sig"},
            {"alg", "RS256"},
            {"n", BignumParam(key.key.get(), OSSL_PKEY_PARAM_RSA_N)},
            {"e", BignumParam(key.key.get(), OSSL_PKEY_PARAM_RSA_E)}};
  }
  return {{"kty", "EC"},
          {"kid", key.kid},
          {"use", "sig"},
          {"alg", "ES256"},
          {"crv", "P-256"},
          {"x", BignumParam(key.key.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32)},
          {"y", BignumParam(key.key.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32)}};
}

std::string JwksJson(std::initializer_list<const TestKey*> keys) {
  json::array array;
  for (const TestKey* key : keys) array.push_back(PublicJwk(*key));
  return json::serialize(json::object{{"keys", std::move(array)}});
}

std::string_view AlgOf(const TestKey& key) { return key.type == JwkType::kRsa ? "RS256" : "ES256"; }

std::string SignCompact(std::string_view signing_input, const TestKey& key) {
  const EvpMdCtxPtr context(EVP_MD_CTX_new());
  const auto* input = reinterpret_cast<const unsigned char*>(signing_input.data());
  size_t size = 0;
  if (!context ||
      EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key.key.get()) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &size, input, signing_input.size()) != 1) {
    Fail("start a signature");
  }
  std::vector<unsigned char> signature(size);
  if (EVP_DigestSign(context.get(), signature.data(), &size, input, signing_input.size()) != 1) {
    Fail("sign");
  }
  std::string raw(reinterpret_cast<const char*>(signature.data()), size);
  if (key.type == JwkType::kEcP256) {
    // OpenSSL writes ECDSA signatures as DER; JWS wants r || s.
    const unsigned char* der = signature.data();
    const EcdsaSigPtr ecdsa(d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(size)));
    if (!ecdsa) Fail("decode an ECDSA signature");
    raw.assign(64, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    if (BN_bn2binpad(ECDSA_SIG_get0_r(ecdsa.get()), out, 32) != 32 ||
        BN_bn2binpad(ECDSA_SIG_get0_s(ecdsa.get()), out + 32, 32) != 32) {
      Fail("encode an ECDSA signature");
    }
  }
  return std::string(signing_input) + "." + Base64UrlEncode(raw);
}

std::string SigningInput(const json::object& header, const json::object& claims) {
  return Base64UrlEncode(json::serialize(header)) + "." + Base64UrlEncode(json::serialize(claims));
}

std::string MakeToken(const json::object& claims, const TestKey& key) {
  const json::object header{{"alg", AlgOf(key)}, {"kid", key.kid}, {"typ", "JWT"}};
  return SignCompact(SigningInput(header, claims), key);
}

}  // namespace dtwin::auth::test
