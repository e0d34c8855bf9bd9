// What an issuer does, for tests and the JWT fuzzer: RSA-2048 and EC P-256 keys generated with
// OpenSSL EVP, their public JWKS, and compact JWS tokens (RS256, ES256) signed with them.
// Keys are immutable once generated; the functions are thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <initializer_list>
#include <string>
#include <string_view>

#include "auth/jwks.h"
#include "auth/openssl_ptr.h"

namespace dtwin::auth::test {

struct TestKey {
  std::string kid;
  JwkType type = JwkType::kRsa;
  EvpPkeyPtr key;  // the key pair
};

// A new RSA-2048 (kRsa) or EC P-256 (kEcP256) key pair; aborts when OpenSSL cannot make one.
TestKey GenerateTestKey(std::string kid, JwkType type);

// The public half as a JWK object (kty, kid, use, alg, and n/e or crv/x/y).
boost::json::object PublicJwk(const TestKey& key);

// {"keys":[...]} of the public halves, as text.
std::string JwksJson(std::initializer_list<const TestKey*> keys);

// The JWS alg of key's type: "RS256" or "ES256".
std::string_view AlgOf(const TestKey& key);

// signing_input + "." + the base64url signature of signing_input with key, as RFC 7515 and
// 7518 put it (ES256: raw r || s, 32 bytes each).
std::string SignCompact(std::string_view signing_input, const TestKey& key);

// base64url(header) "." base64url(claims), the part a signature covers.
std::string SigningInput(const boost::json::object& header, const boost::json::object& claims);

// A token with header {"alg": AlgOf(key), "kid": key.kid, "typ": "JWT"} signed with key.
std::string MakeToken(const boost::json::object& claims, const TestKey& key);

}  // namespace dtwin::auth::test
