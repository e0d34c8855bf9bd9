// libFuzzer target for the query language: every input must be handled without a crash, a
// hang or an unexpected error (fuzz/query_fuzz_input.h). Run it with scripts/fuzz query SECONDS.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "query_fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string problem =
      dtwin::fuzz::CheckQueryInput(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!problem.empty()) {
    // abort() makes libFuzzer save the input as a crash artifact.
    std::fprintf(stderr, "query fuzzer: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
