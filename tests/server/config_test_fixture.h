// The fixture of the `dtwin serve` settings tests: a scratch directory for config files and
// the message of a refused command line. One per test; not thread-safe.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "server/server_config.h"

namespace dtwin::server {

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("dtwin_config_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Writes text to DIR/dtwin.toml and returns its path.
  std::string WriteConfig(const std::string& text) {
    std::filesystem::path path = dir_ / "dtwin.toml";
    std::ofstream(path) << text;
    return path.string();
  }

  // The message of args, which must be refused.
  static std::string ErrorOf(const std::vector<std::string>& args) {
    Result<ServerConfig> config = ParseServeArgs(args);
    EXPECT_FALSE(config.ok());
    return config.ok() ? "" : config.status().message();
  }

  std::filesystem::path dir_;
};

}  // namespace dtwin::server
