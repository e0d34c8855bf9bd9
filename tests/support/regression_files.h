// The inputs of a fuzz-regression directory, for parameterized tests that replay each file
// as its own test. Stateless; thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace dtwin::testing {

// File names in dir, sorted; empty when dir is missing (tests check their floor separately).
std::vector<std::string> RegressionFiles(const std::filesystem::path& dir);

// The file's bytes, as they are.
std::string ReadBytes(const std::filesystem::path& path);

// A gtest parameter name from a file name (letters, digits and '_' only).
std::string TestNameOf(const std::string& file_name);

}  // namespace dtwin::testing
