// Replays every input in tests/auth/fuzz_regressions/ (what scripts/fuzz jwt found, and
// hand-made hostile tokens) exactly as fuzz/jwt_fuzzer.cc runs them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "jwt_fuzz_input.h"

namespace dtwin::fuzz {
namespace {

namespace fs = std::filesystem;

const fs::path kRegressionsDir = fs::path(DTWIN_SOURCE_DIR) / "tests/auth/fuzz_regressions";

std::vector<std::string> RegressionFiles() {
  std::vector<std::string> names;
  if (!fs::is_directory(kRegressionsDir)) return names;
  for (const fs::directory_entry& entry : fs::directory_iterator(kRegressionsDir)) {
    if (entry.is_regular_file()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class JwtFuzzRegressionTest : public testing::TestWithParam<std::string> {};

TEST_P(JwtFuzzRegressionTest, IsHandledAsTheFuzzerRequires) {
  const fs::path path = kRegressionsDir / GetParam();
  const std::string input = ReadFile(path);
  ASSERT_EQ(input.size(), fs::file_size(path)) << path;
  EXPECT_EQ(CheckJwtInput(input), "") << path;
}

// gtest names allow only letters, digits and '_'.
std::string TestName(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, JwtFuzzRegressionTest, testing::ValuesIn(RegressionFiles()),
                         TestName);

// An empty or missing dir would otherwise pass silently.
TEST(JwtFuzzRegressionFilesTest, HandMadeInputsArePresent) {
  for (const char* name : {"hand-deep-json-header", "hand-huge-exp", "hand-kid-control-chars",
                           "hand-dots-only", "hand-token-20k"}) {
    EXPECT_TRUE(fs::is_regular_file(kRegressionsDir / name)) << name;
  }
}

}  // namespace
}  // namespace dtwin::fuzz
