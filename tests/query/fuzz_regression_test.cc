// Replays every input in tests/query/fuzz_regressions/ (what scripts/fuzz found, and hand-made
// hostile queries) exactly as fuzz/query_fuzzer.cc runs them: each must return, in bounded
// time, with a value or an error a user may cause (SqlQueryError, BadRequest, TimeoutError).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "query_fuzz_input.h"
#include "regression_files.h"

namespace dtwin::fuzz {
namespace {

namespace fs = std::filesystem;

const fs::path kRegressionsDir = fs::path(DTWIN_SOURCE_DIR) / "tests/query/fuzz_regressions";

// A hang is libFuzzer's -timeout=5 per input; here, with every check of the input and a
// sanitizer-free build, anything near that is a regression.
constexpr std::chrono::seconds kMaxSecondsPerInput{5};

class QueryFuzzRegressionTest : public ::testing::TestWithParam<std::string> {};

TEST_P(QueryFuzzRegressionTest, ReturnsWithAValueOrAUserError) {
  const fs::path path = kRegressionsDir / GetParam();
  const std::string input = dtwin::testing::ReadBytes(path);
  ASSERT_EQ(input.size(), fs::file_size(path)) << path;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(CheckQueryInput(input), "") << path;
  EXPECT_LT(std::chrono::steady_clock::now() - start, kMaxSecondsPerInput) << path;
}

INSTANTIATE_TEST_SUITE_P(Files, QueryFuzzRegressionTest,
                         ::testing::ValuesIn(dtwin::testing::RegressionFiles(kRegressionsDir)),
                         [](const auto& info) { return dtwin::testing::TestNameOf(info.param); });

// The hand-made inputs are the floor of what the suite replays: an empty or truncated dir
// would otherwise pass silently.
TEST(QueryFuzzRegressionFilesTest, HandMadeHostileInputsArePresent) {
  struct Expected {
    const char* name;
    size_t min_size;
  };
  for (const Expected& expected :
       {Expected{"hand-deep-parens-100k", 200000}, Expected{"hand-not-100k", 400000},
        Expected{"hand-query-9000-chars", 9000}, Expected{"hand-query-8000-chars-in-list", 8000},
        Expected{"hand-embedded-nul", 1}, Expected{"hand-invalid-utf8", 1},
        Expected{"hand-unterminated-string-backslash", 1}, Expected{"hand-huge-numbers", 1},
        Expected{"hand-match-10-hops-5-edges", 1}}) {
    const fs::path path = kRegressionsDir / expected.name;
    ASSERT_TRUE(fs::is_regular_file(path)) << path;
    EXPECT_GE(fs::file_size(path), expected.min_size) << path;
  }
}

}  // namespace
}  // namespace dtwin::fuzz
