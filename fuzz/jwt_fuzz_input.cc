// One fuzz input through ParseJwks and JwtValidator: see jwt_fuzz_input.h.
#include "jwt_fuzz_input.h"

#include <chrono>
#include <string>
#include <utility>

#include "../tests/auth/jwt_test_keys.h"  // shared with the tests: fuzz/ builds without tests/
#include "auth/jwks.h"
#include "auth/jwt_validator.h"
#include "common/status.h"

namespace dtwin::fuzz {
namespace {

using auth::JwkType;
using auth::test::TestKey;

// The instant the test's literal seeds are valid at (2024-05-01T10:00:00Z).
const std::chrono::system_clock::time_point kNow{std::chrono::seconds(1714557600)};

// The kids and issuer of tests/auth/jwt_validator_test.cc, whose literals seed the corpus.
const TestKey& EcKey() {
  static const TestKey key = auth::test::GenerateTestKey("ec-1", JwkType::kEcP256);
  return key;
}

const auth::Jwks& FuzzJwks() {
  static const auth::Jwks jwks = [] {
    static const TestKey rsa = auth::test::GenerateTestKey("rsa-1", JwkType::kRsa);
    return std::move(auth::ParseJwks(auth::test::JwksJson({&EcKey(), &rsa}))).value();
  }();
  return jwks;
}

// "" when an error is Unauthorized with a message that does not repeat the token.
std::string CheckRejection(const Status& status, std::string_view token) {
  if (status.code() != ErrorCode::kUnauthorized) return "not Unauthorized: " + status.ToString();
  if (status.message().empty()) return "Unauthorized without a message";
  // Messages hold fixed text and values cut to 64 characters: a shorter input may be a
  // substring of them by chance ("parts separated by"), a longer one only by an echo.
  constexpr size_t kMinEchoed = 100;
  if (token.size() >= kMinEchoed && status.message().find(token) != std::string::npos) {
    return "message repeats the token: " + status.message();
  }
  return "";
}

}  // namespace

std::string CheckJwtInput(std::string_view input) {
  const Result<auth::Jwks> jwks = auth::ParseJwks(input);
  if (!jwks.ok() &&
      (jwks.status().code() != ErrorCode::kInvalidArgument || jwks.status().message().empty())) {
    return "ParseJwks: unexpected error " + jwks.status().ToString();
  }
  if (jwks.ok() && jwks->keys.empty()) return "ParseJwks: a JWKS without keys";

  // A validator per input, so that no input depends on what the cache kept from another.
  auth::JwtValidatorOptions options;
  options.issuers = {"https://issuer.example/"};
  const auth::JwtValidator validator(options, FuzzJwks());
  const Result<auth::ValidatedToken> raw = validator.Validate(input, kNow);
  if (raw.ok()) return "Validate: accepted a token nobody signed";
  if (std::string problem = CheckRejection(raw.status(), input); !problem.empty()) {
    return "Validate: " + problem;
  }

  const size_t first_dot = input.find('.');
  if (first_dot == std::string_view::npos) return "";
  const std::string token =
      auth::test::SignCompact(input.substr(0, input.find('.', first_dot + 1)), EcKey());
  const Result<auth::ValidatedToken> first = validator.Validate(token, kNow);
  const Result<auth::ValidatedToken> second = validator.Validate(token, kNow);
  if (first.ok() != second.ok()) return "signed: the cache changed the verdict";
  if (!first.ok()) {
    if (second.status().ToString() != first.status().ToString()) {
      return "signed: two different errors for one token";
    }
    std::string problem = CheckRejection(first.status(), token);
    return problem.empty() ? "" : "signed: " + problem;
  }
  if (!(*first == *second)) return "signed: the cache answered another identity";
  if (first->expires + options.clock_skew < kNow) return "signed: accepted an expired token";
  if (first->not_before > kNow + options.clock_skew) return "signed: accepted a token before nbf";
  if (first->issuer != options.issuers[0]) return "signed: accepted another issuer";
  if (validator.cached_tokens() != 1) return "signed: a valid token was not cached";
  return "";
}

}  // namespace dtwin::fuzz
