// Signing side of JOSE for the built-in token issuer (and the tests' token maker): compact JWS
// signatures (RS256, ES256) and the public JWK of a key. Stateless functions; thread-safe.
#pragma once

#include <openssl/types.h>

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "auth/jwks.h"
#include "common/status.h"

namespace dtwin::auth {

// signing_input + "." + the base64url signature of signing_input with key (a private key of
// type), as RFC 7515 and 7518 put it: RS256 as OpenSSL signs, ES256 as raw r || s (32 bytes
// each). kInternal when OpenSSL fails.
Result<std::string> SignCompactJws(std::string_view signing_input, EVP_PKEY* key, JwkType type);

// base64url(header) "." base64url(claims), the part a signature covers.
std::string JwsSigningInput(const boost::json::object& header, const boost::json::object& claims);

// The public half of key as a JWK object: kty, kid, use "sig", alg, and n/e (RSA) or
// crv/x/y (EC P-256). kInternal when OpenSSL cannot read the key's parameters.
Result<boost::json::object> PublicJwkOf(EVP_PKEY* key, JwkType type, std::string_view kid);

}  // namespace dtwin::auth
