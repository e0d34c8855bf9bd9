// `dtwin model validate` as a user runs it: the real binary, exit codes and messages.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

RunResult RunDtwin(const std::string& args) {
  std::string command = std::string(DTWIN_BINARY_DIR) + "/dtwin " + args + " 2>&1";
  RunResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.output.append(buffer.data(), n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

class ModelValidateCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("dtwin_cli_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    fs::path path = dir_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
  }

  fs::path dir_;
};

constexpr const char* kRoom = R"({
  "@context": "dtmi:dtdl:context;3",
  "@id": "dtmi:example:Room;1",
  "@type": "Interface",
  "extends": "dtmi:example:Space;1",
  "contents": [
    { "@type": "Property", "name": "temperature", "schema": "double" }
  ]
})";

constexpr const char* kSpace = R"({
  "@context": "dtmi:dtdl:context;3",
  "@id": "dtmi:example:Space;1",
  "@type": "Interface",
  "contents": [ { "@type": "Property", "name": "area", "schema": "double" } ]
})";

TEST_F(ModelValidateCliTest, ValidDirectoryIsOneBatchAndExitsZero) {
  Write("models/room.json", kRoom);
  Write("models/nested/space.json", kSpace);
  RunResult result = RunDtwin("model validate " + (dir_ / "models").string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("valid: 2 interfaces in 2 files"), std::string::npos)
      << result.output;
}

TEST_F(ModelValidateCliTest, MissingBaseIsInvalidWithFileLineColumn) {
  std::string room = Write("room.json", kRoom);
  RunResult result = RunDtwin("model validate " + room);
  EXPECT_EQ(result.exit_code, 1) << result.output;
  // The unresolved extends is on line 5 of the file.
  EXPECT_NE(result.output.find(room + ":5:"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("dtmi:example:Space;1"), std::string::npos) << result.output;
}

TEST_F(ModelValidateCliTest, InvalidJsonTextIsInvalidModelNotCrash) {
  std::string bad = Write("bad.json", "{\n  \"@id\": \"dtmi:x:y;1\",\n  \"@id\": 1\n}");
  RunResult result = RunDtwin("model validate " + bad);
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find(bad + ":3:"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("duplicate"), std::string::npos) << result.output;
}

TEST_F(ModelValidateCliTest, CommandsAreRejectedUnlessDtdlOnly) {
  std::string model = Write("cmd.json", R"({
    "@context": "dtmi:dtdl:context;3", "@id": "dtmi:example:Pump;1", "@type": "Interface",
    "contents": [ { "@type": "Command", "name": "start" } ] })");
  RunResult adt = RunDtwin("model validate " + model);
  EXPECT_EQ(adt.exit_code, 1) << adt.output;
  EXPECT_NE(adt.output.find("Commands"), std::string::npos) << adt.output;
  RunResult dtdl = RunDtwin("model validate --dtdl-only " + model);
  EXPECT_EQ(dtdl.exit_code, 0) << dtdl.output;
}

TEST_F(ModelValidateCliTest, UndefinedExtensionOptionsOverrideVersionDefault) {
  std::string model = Write("ext.json", R"({
    "@context": ["dtmi:dtdl:context;3", "dtmi:vendor:context;1"],
    "@id": "dtmi:example:Thing;1", "@type": "Interface",
    "contents": [ { "@type": ["Property", "VendorThing"], "name": "x", "schema": "double" } ] })");
  EXPECT_EQ(RunDtwin("model validate " + model).exit_code, 1);
  EXPECT_EQ(RunDtwin("model validate --allow-undefined-extensions " + model).exit_code, 0);
  EXPECT_EQ(RunDtwin("model validate --disallow-undefined-extensions " + model).exit_code, 1);
}

TEST_F(ModelValidateCliTest, UsageAndIoErrorsExitTwo) {
  EXPECT_EQ(RunDtwin("model validate").exit_code, 2);
  EXPECT_EQ(RunDtwin("model validate --no-such-option x").exit_code, 2);
  RunResult missing = RunDtwin("model validate " + (dir_ / "missing.json").string());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("no such file"), std::string::npos) << missing.output;
}

}  // namespace
