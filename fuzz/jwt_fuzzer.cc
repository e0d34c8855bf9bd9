// libFuzzer target for bearer tokens and JWKS: every input must be handled without a crash, a
// hang or an unexpected answer (fuzz/jwt_fuzz_input.h). Run it with scripts/fuzz jwt SECONDS.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "jwt_fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string problem =
      dtwin::fuzz::CheckJwtInput(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!problem.empty()) {
    // abort() makes libFuzzer save the input as a crash artifact.
    std::fprintf(stderr, "jwt fuzzer: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
