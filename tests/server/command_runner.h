// Runs a shell command line for tests that drive external clients (curl, python3, node) and
// collects what it printed. Thread-compatible.
#pragma once

#include <string>

namespace dtwin::server::testing {

struct CommandResult {
  int exit_code = -1;  // 127: the shell did not find the program
  std::string output;  // stdout and stderr together
};

CommandResult RunCommand(const std::string& command);

// Whether program is on PATH.
bool HaveProgram(const std::string& program);

// text as one single-quoted shell word.
std::string ShellQuote(const std::string& text);

}  // namespace dtwin::server::testing
