// Replays every input in tests/auth/fuzz_regressions/ (what scripts/fuzz jwt found, and
// hand-made hostile tokens) exactly as fuzz/jwt_fuzzer.cc runs them.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "jwt_fuzz_input.h"
#include "regression_files.h"

namespace dtwin::fuzz {
namespace {

namespace fs = std::filesystem;

const fs::path kRegressionsDir = fs::path(DTWIN_SOURCE_DIR) / "tests/auth/fuzz_regressions";

class JwtFuzzRegressionTest : public ::testing::TestWithParam<std::string> {};

TEST_P(JwtFuzzRegressionTest, IsHandledAsTheFuzzerRequires) {
  const fs::path path = kRegressionsDir / GetParam();
  const std::string input = dtwin::testing::ReadBytes(path);
  ASSERT_EQ(input.size(), fs::file_size(path)) << path;
  EXPECT_EQ(CheckJwtInput(input), "") << path;
}

INSTANTIATE_TEST_SUITE_P(Files, JwtFuzzRegressionTest,
                         ::testing::ValuesIn(dtwin::testing::RegressionFiles(kRegressionsDir)),
                         [](const auto& info) { return dtwin::testing::TestNameOf(info.param); });

// An empty or missing dir would otherwise pass silently.
TEST(JwtFuzzRegressionFilesTest, HandMadeInputsArePresent) {
  for (const char* name : {"hand-deep-json-header", "hand-huge-exp", "hand-kid-control-chars",
                           "hand-dots-only", "hand-token-20k"}) {
    EXPECT_TRUE(fs::is_regular_file(kRegressionsDir / name)) << name;
  }
}

}  // namespace
}  // namespace dtwin::fuzz
