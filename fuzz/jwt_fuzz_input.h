// Runs one fuzz input through JWKS parsing and bearer-token validation as the server would,
// and says whether the code behaved. Shared by fuzz/jwt_fuzzer.cc and
// tests/auth/jwt_fuzz_regression_test.cc, so a regression file replays exactly what the fuzzer
// ran. Thread-safe (the keys are generated once and then only read).
#pragma once

#include <string>
#include <string_view>

namespace dtwin::fuzz {

// What went wrong, or "" when the code behaved. The input is parsed as a JWKS (a value or
// InvalidArgument) and validated as a token (Unauthorized: the fuzzer's keys are new in each
// process, so nothing in the input can carry their signature). When it has the shape
// header.payload[.anything], header.payload is then signed ES256 with the fuzzer's key "ec-1"
// so the claim checks run too: a value or Unauthorized, the same twice (the second answer
// comes from the cache). No error message may contain the token (of 100 bytes or more).
std::string CheckJwtInput(std::string_view input);

}  // namespace dtwin::fuzz
