// What a remote `dtwin` command is made of: its spec (words, options, help, what it runs),
// the options it was given, and what it runs with (client, output). Exit codes shared by
// every command. Plain types; one command runs on one thread.
#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dtwin::client {
class DigitalTwinsClient;
}

namespace dtwin::cli {

class OutputWriter;

inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;      // the service answered with an error
inline constexpr int kExitUsage = 2;        // bad command line, or an input it names is bad
inline constexpr int kExitUnreachable = 3;  // no answer from the service, or no token

// One option a command accepts.
struct OptionSpec {
  // The canonical name first ("--twin-id"), then aliases ("--source", "-t").
  std::vector<std::string> names;
  std::string value_name;  // shown in help ("ID"); empty for a flag
  std::string help;
  bool required = false;
  // May be given more than once, and takes every following word that is not an option
  // ("--dependencies-for A B C").
  bool multiple = false;
  std::vector<std::string> choices;  // allowed values; empty = any

  OptionSpec& MarkRequired() {
    required = true;
    return *this;
  }
  OptionSpec& AllowMultiple() {
    multiple = true;
    return *this;
  }
  OptionSpec& WithChoices(std::vector<std::string> allowed) {
    choices = std::move(allowed);
    return *this;
  }
};

// An option that takes a value ("--twin-id ID").
inline OptionSpec ValueOption(std::vector<std::string> names, std::string value_name,
                              std::string help) {
  OptionSpec spec;
  spec.names = std::move(names);
  spec.value_name = std::move(value_name);
  spec.help = std::move(help);
  return spec;
}

// An option without a value ("--incoming").
inline OptionSpec FlagOption(std::vector<std::string> names, std::string help) {
  return ValueOption(std::move(names), "", std::move(help));
}

// The options given on a command line, keyed by canonical name.
class ParsedOptions {
 public:
  void Add(const std::string& name, std::string value) {
    values_[name].push_back(std::move(value));
  }

  bool Has(std::string_view name) const { return values_.find(name) != values_.end(); }
  // The value of a single-valued option, or nullopt when it was not given.
  std::optional<std::string> Get(std::string_view name) const;
  // Every value of a multiple option (empty when not given).
  std::vector<std::string> GetAll(std::string_view name) const;
  // The value of an option the spec marks required (parsing guarantees it is there).
  const std::string& Required(std::string_view name) const;

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
};

// What a command's run function gets. The client is built from the common options.
struct CommandContext {
  const ParsedOptions& options;
  client::DigitalTwinsClient& client;
  OutputWriter& output;
  std::ostream& err;
};

struct CommandSpec {
  std::vector<std::string> words;  // {"twin", "relationship", "create"}
  std::string summary;             // one line, for listings and help
  std::string description;         // more help text (what az command it mirrors, defaults)
  std::vector<OptionSpec> options;
  std::vector<std::string> examples;
  // Throws UsageError for inputs the command line names but that are bad (JSON, files), and
  // client::DigitalTwinsError for what the service or the connection refused.
  std::function<void(CommandContext&)> run;
};

// A command line or an input it names is wrong: dispatch prints "dtwin: <what>" and the
// command's usage line, and exits kExitUsage.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The command groups' specs, one function per file (model_commands.cc, ...).
std::vector<CommandSpec> ModelCommands();
std::vector<CommandSpec> TwinCommands();
std::vector<CommandSpec> RelationshipCommands();
std::vector<CommandSpec> TelemetryCommands();
std::vector<CommandSpec> RouteCommands();
std::vector<CommandSpec> EndpointCommands();

}  // namespace dtwin::cli
