// RunCommand (see command_runner.h): popen with stderr joined to stdout; reads resume after
// a signal.
#include "command_runner.h"

#include <sys/wait.h>

#include <array>
#include <cerrno>
#include <cstdio>

namespace dtwin::server::testing {

CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  while (true) {
    size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe);
    result.output.append(buffer.data(), n);
    if (n > 0) continue;
    // A signal the test sends itself (SIGHUP to reload) may interrupt the read.
    if (!std::ferror(pipe) || errno != EINTR) break;
    std::clearerr(pipe);
  }
  int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

bool HaveProgram(const std::string& program) {
  return RunCommand("command -v " + ShellQuote(program) + " >/dev/null").exit_code == 0;
}

std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace dtwin::server::testing
