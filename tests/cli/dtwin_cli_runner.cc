// RunDtwinCli (see dtwin_cli_runner.h): posix_spawn with stdin, stdout and stderr redirected to
// files in a fresh temporary directory.
#include "dtwin_cli_runner.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

extern char** environ;

namespace dtwin::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kIsolatedVariables[] = {
    "DTWIN_ENDPOINT",       "DTWIN_AUTH",        "DTWIN_TOKEN",
    "AZURE_TENANT_ID",      "AZURE_CLIENT_ID",   "AZURE_CLIENT_SECRET",
    "AZURE_AUTHORITY_HOST", "IDENTITY_ENDPOINT", "IDENTITY_HEADER"};

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> ChildEnvironment(const EnvChanges& env_changes) {
  std::map<std::string, std::optional<std::string>> changes;
  for (const char* name : kIsolatedVariables) changes[name] = std::nullopt;
  for (const auto& [name, value] : env_changes) changes[name] = value;
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text = *entry;
    if (changes.count(text.substr(0, text.find('='))) == 0) env.push_back(text);
  }
  for (const auto& [name, value] : changes) {
    if (value) env.push_back(name + "=" + *value);
  }
  return env;
}

}  // namespace

CliResult RunDtwinCli(const std::vector<std::string>& args, const EnvChanges& env,
                      const std::string& stdin_text) {
  CliResult result;
  std::string pattern = (fs::temp_directory_path() / "dtwin_cli_XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return result;
  fs::path dir = pattern;
  fs::path in_path = dir / "stdin", out_path = dir / "stdout", err_path = dir / "stderr";
  std::ofstream(in_path, std::ios::binary) << stdin_text;

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::string binary = std::string(DTWIN_BINARY_DIR) + "/dtwin";
  std::vector<std::string> argv_text = {binary};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_text) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_text = ChildEnvironment(env);
  std::vector<char*> envp;
  for (std::string& entry : env_text) envp.push_back(entry.data());
  envp.push_back(nullptr);

  pid_t pid = -1;
  int spawned = ::posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned == 0) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = ReadAll(out_path);
    result.err = ReadAll(err_path);
  } else {
    result.err = std::string("posix_spawn failed: ") + std::strerror(spawned);
  }
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return result;
}

}  // namespace dtwin::testing
