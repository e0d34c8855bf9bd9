// scripts/dtwin-completion.bash: it is valid bash, completes subcommands, options and option
// values through the real completion function, and offers exactly the options each remote
// command's --help lists (so the script cannot drift from the command table).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "dtwin_cli_runner.h"

namespace dtwin::testing {
namespace {

namespace fs = std::filesystem;

const std::string kScript = std::string(DTWIN_SOURCE_DIR) + "/scripts/dtwin-completion.bash";

struct ShellResult {
  int exit_code = -1;
  std::string output;
};

// Words, file names and the bash snippet in these tests never hold a single quote.
std::string Quote(const std::string& word) { return "'" + word + "'"; }

ShellResult RunShell(const std::string& command) {
  ShellResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.output.append(buffer.data(), n);
  }
  int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::set<std::string> Words(const std::string& text) {
  std::set<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;) words.insert(word);
  return words;
}

// What the completion function offers for the command line `words` (the last word is the
// one being completed; "" completes a new word).
std::set<std::string> Complete(const std::vector<std::string>& words) {
  std::string command = "bash -c " +
                        Quote(
                            "source \"$0\"; COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); "
                            "_dtwin; printf \"%s\\n\" \"${COMPREPLY[@]}\"") +
                        " " + Quote(kScript);
  for (const std::string& word : words) command += " " + Quote(word);
  ShellResult result = RunShell(command);
  EXPECT_EQ(result.exit_code, 0) << command;
  return Words(result.output);
}

// The option names (first name of each option line) a --help text lists.
std::set<std::string> HelpOptions(const std::string& help) {
  std::set<std::string> options;
  std::istringstream in(help);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("  -", 0) != 0) continue;
    std::string name = line.substr(2, line.find_first_of(" ,", 2) - 2);
    options.insert(name);
  }
  return options;
}

class CompletionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (RunShell("command -v bash >/dev/null").exit_code != 0) GTEST_SKIP() << "bash is missing";
  }
};

TEST_F(CompletionTest, ScriptIsValidBash) {
  ShellResult result = RunShell("bash -n " + Quote(kScript) + " 2>&1");
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

TEST_F(CompletionTest, CompletesSubcommands) {
  EXPECT_EQ(Complete({"dtwin", ""}),
            (std::set<std::string>{"serve", "model", "twin", "route", "endpoint", "cert", "issuer",
                                   "version", "help"}));
  EXPECT_EQ(Complete({"dtwin", "tw"}), (std::set<std::string>{"twin"}));
  EXPECT_EQ(Complete({"dtwin", "twin", ""}),
            (std::set<std::string>{"create", "show", "update", "delete", "query", "component",
                                   "relationship", "telemetry"}));
  EXPECT_EQ(Complete({"dtwin", "twin", "relationship", ""}),
            (std::set<std::string>{"create", "show", "list", "update", "delete"}));
  EXPECT_EQ(Complete({"dtwin", "model", "d"}), (std::set<std::string>{"decommission", "delete"}));
  EXPECT_EQ(Complete({"dtwin", "route", ""}),
            (std::set<std::string>{"create", "show", "list", "delete"}));
}

TEST_F(CompletionTest, CompletesOptionsAndTheirValues) {
  std::set<std::string> create = Complete({"dtwin", "twin", "create", "--"});
  for (const char* option : {"--dtmi", "--twin-id", "--properties", "--endpoint", "--output"}) {
    EXPECT_TRUE(create.count(option)) << option;
  }
  EXPECT_FALSE(create.count("--json-patch"));
  // Options already given do not stop completion of the next ones.
  EXPECT_EQ(Complete({"dtwin", "twin", "show", "--twin-id", "x", "--tw"}),
            (std::set<std::string>{"--twin-id"}));
  EXPECT_EQ(Complete({"dtwin", "twin", "query", "-q", "SELECT", "--output", ""}),
            (std::set<std::string>{"json", "table"}));
  EXPECT_EQ(Complete({"dtwin", "route", "list", "--auth", ""}),
            (std::set<std::string>{"none", "static", "client-secret", "managed-identity", "cli",
                                   "default"}));
  EXPECT_EQ(Complete({"dtwin", "serve", "--auth", ""}),
            (std::set<std::string>{"none", "jwt", "entra"}));
}

TEST_F(CompletionTest, CompletesDirectoriesForFromDirectory) {
  fs::path dir = fs::temp_directory_path() / ("dtwin_completion_" + std::to_string(::getpid()));
  fs::create_directories(dir / "models_dir");
  std::ofstream(dir / "models_file.json") << "{}";
  std::set<std::string> offered =
      Complete({"dtwin", "model", "create", "--from-directory", (dir / "models_").string()});
  fs::remove_all(dir);
  EXPECT_EQ(offered, (std::set<std::string>{(dir / "models_dir").string()}));
}

// Walks the completion's command tree and compares each remote command's options with the
// options its --help lists; and each group with the commands `dtwin --help` lists.
TEST_F(CompletionTest, OptionsMatchEveryCommandsHelp) {
  std::vector<std::vector<std::string>> pending = {{}};
  int remote_commands = 0;
  while (!pending.empty()) {
    std::vector<std::string> command = pending.back();
    pending.pop_back();
    std::vector<std::string> words = {"dtwin"};
    words.insert(words.end(), command.begin(), command.end());
    words.push_back("");
    // `model validate` completes file names where groups complete subcommands.
    bool leaf = command == std::vector<std::string>{"model", "validate"};
    std::set<std::string> subcommands = leaf ? std::set<std::string>{} : Complete(words);
    ASSERT_LT(command.size(), 4u) << "runaway command tree: " << ::testing::PrintToString(command);
    if (!subcommands.empty()) {
      for (const std::string& subcommand : subcommands) {
        std::vector<std::string> child = command;
        child.push_back(subcommand);
        pending.push_back(child);
      }
      continue;
    }
    if (command == std::vector<std::string>{"version"} ||
        command == std::vector<std::string>{"help"}) {
      continue;
    }
    std::vector<std::string> help_args = command;
    help_args.push_back("--help");
    CliResult help = RunDtwinCli(help_args);
    ASSERT_EQ(help.exit_code, 0) << "dtwin " << ::testing::PrintToString(help_args) << help.err;
    words.back() = "-";
    std::set<std::string> offered = Complete(words);
    std::set<std::string> listed = HelpOptions(help.out);
    // Commands that work on this machine rather than an endpoint.
    bool local = command[0] == "serve" || command[0] == "cert" || command[0] == "issuer" ||
                 command == std::vector<std::string>{"model", "validate"};
    if (local) {
      // Their help is written by hand; every option it lists must be offered.
      for (const std::string& option : listed) {
        EXPECT_TRUE(offered.count(option)) << ::testing::PrintToString(command) << " " << option;
      }
    } else {
      ++remote_commands;
      EXPECT_EQ(offered, listed) << ::testing::PrintToString(command);
    }
  }
  EXPECT_EQ(remote_commands, 26);
}

}  // namespace
}  // namespace dtwin::testing
