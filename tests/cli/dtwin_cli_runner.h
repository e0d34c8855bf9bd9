// RunDtwinCli: runs the real `dtwin` binary with arguments, environment changes and stdin, and
// captures its exit code, stdout and stderr apart (stdout must hold data only). Stateless;
// each call spawns its own process.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dtwin::testing {

struct CliResult {
  int exit_code = -1;  // -1: did not exit normally
  std::string out;
  std::string err;
};

using EnvChanges = std::map<std::string, std::optional<std::string>>;

// Runs `dtwin args...`. env: variables to set (a value) or unset (nullopt); DTWIN_ENDPOINT,
// DTWIN_AUTH, DTWIN_TOKEN and the AZURE_* credential variables are always unset first, so that
// the caller's shell does not leak into a test. stdin_text: what the command reads on stdin.
CliResult RunDtwinCli(const std::vector<std::string>& args, const EnvChanges& env = {},
                      const std::string& stdin_text = "");

}  // namespace dtwin::testing
