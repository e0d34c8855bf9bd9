// Test keys, JWKS and token signing (see the header).
#include "jwt_test_keys.h"

#include <openssl/rsa.h>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <cstdlib>

#include "auth/jws_signer.h"

namespace dtwin::auth::test {
namespace {

namespace json = boost::json;

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "jwt_test_keys: OpenSSL failed to %s\n", what);
  std::abort();
}

}  // namespace

TestKey GenerateTestKey(std::string kid, JwkType type) {
  EvpPkeyPtr key(type == JwkType::kRsa ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256"));
  if (!key) Fail("generate a key");
  return TestKey{std::move(kid), type, std::move(key)};
}

json::object PublicJwk(const TestKey& key) {
  Result<json::object> jwk = PublicJwkOf(key.key.get(), key.type, key.kid);
  if (!jwk.ok()) Fail("export a public key");
  return std::move(*jwk);
}

std::string JwksJson(std::initializer_list<const TestKey*> keys) {
  json::array array;
  for (const TestKey* key : keys) array.push_back(PublicJwk(*key));
  return json::serialize(json::object{{"keys", std::move(array)}});
}

std::string_view AlgOf(const TestKey& key) { return key.type == JwkType::kRsa ? "RS256" : "ES256"; }

std::string SignCompact(std::string_view signing_input, const TestKey& key) {
  Result<std::string> token = SignCompactJws(signing_input, key.key.get(), key.type);
  if (!token.ok()) Fail("sign");
  return std::move(*token);
}

std::string SigningInput(const json::object& header, const json::object& claims) {
  return JwsSigningInput(header, claims);
}

std::string MakeToken(const json::object& claims, const TestKey& key) {
  const json::object header{{"alg", AlgOf(key)}, {"kid", key.kid}, {"typ", "JWT"}};
  return SignCompact(SigningInput(header, claims), key);
}

}  // namespace dtwin::auth::test
