// JSON Web Key Sets (RFC 7517, 7518): the public keys bearer tokens are verified with, by kid.
// A Jwks is immutable after ParseJwks; copies share the keys and may be used from any thread.
#pragma once

#include <openssl/types.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dtwin::auth {

// The key types a token may be signed with: RS256 needs kRsa, ES256 needs kEcP256.
enum class JwkType { kRsa, kEcP256 };

struct Jwk {
  std::string kid;
  JwkType type = JwkType::kRsa;
  // The public key; shared so that copies of a Jwks (and validators built from them) are cheap.
  std::shared_ptr<EVP_PKEY> key;
};

struct Jwks {
  std::map<std::string, Jwk, std::less<>> keys;  // by kid
  // One line per entry of "keys" that was left out, saying which and why, e.g.
  // "keys/2 (kid \"abc\"): kty \"oct\" is not supported", for the operator's log.
  std::vector<std::string> ignored;

  // nullptr when no key has this kid.
  const Jwk* Find(std::string_view kid) const;
};

// Reads {"keys":[...]}: RSA keys (n, e; at least 2048 bits) and EC P-256 keys (x, y), each
// with a kid; keys of other types or curves, keys for encryption (use other than "sig"),
// keys whose alg is not RS256/ES256 and duplicate kids are listed in Jwks::ignored.
// InvalidArgument when the text is not such a document or no key is usable.
Result<Jwks> ParseJwks(std::string_view json);

}  // namespace dtwin::auth
