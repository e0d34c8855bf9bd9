// The remote command table and its dispatch (see command_table.h).
#include "cli/command_table.h"

#include <algorithm>
#include <ostream>
#include <sstream>

#include "cli/command.h"
#include "cli/command_line.h"
#include "cli/output_format.h"
#include "cli/remote_options.h"
#include "dtwin/client/digital_twins_client.h"

namespace dtwin::cli {

namespace {

struct CommandGroup {
  std::vector<std::string> words;
  std::string summary;
  // Commands of the group dispatched elsewhere (main.cpp), listed in its help: name, summary.
  std::vector<std::pair<std::string, std::string>> other_commands;
};

constexpr size_t kOverviewColumn = 52;
constexpr size_t kGroupHelpColumn = 20;

const std::vector<CommandGroup>& Groups() {
  static const std::vector<CommandGroup> groups = {
      {{"model"},
       "DTDL models on the service",
       {{"validate", "Check DTDL files offline (see dtwin model validate --help)"}}},
      {{"twin"}, "digital twins", {}},
      {{"twin", "component"}, "components of digital twins", {}},
      {{"twin", "relationship"}, "relationships between digital twins", {}},
      {{"twin", "telemetry"}, "telemetry on behalf of digital twins", {}},
      {{"route"}, "event routes", {}},
      {{"endpoint"}, "event endpoints (a dtwin extension)", {}},
      {{"endpoint", "deadletters"}, "events an endpoint could not take", {}},
  };
  return groups;
}

const std::vector<CommandSpec>& Commands() {
  static const std::vector<CommandSpec> commands = [] {
    std::vector<CommandSpec> all;
    for (auto group : {ModelCommands, TwinCommands, RelationshipCommands, TelemetryCommands,
                       RouteCommands, EndpointCommands}) {
      std::vector<CommandSpec> specs = group();
      all.insert(all.end(), std::make_move_iterator(specs.begin()),
                 std::make_move_iterator(specs.end()));
    }
    return all;
  }();
  return commands;
}

bool StartsWith(const std::vector<std::string>& args, const std::vector<std::string>& words) {
  return args.size() >= words.size() && std::equal(words.begin(), words.end(), args.begin());
}

std::string Join(const std::vector<std::string>& words) {
  std::string joined;
  for (const std::string& word : words) joined += (joined.empty() ? "" : " ") + word;
  return joined;
}

// Whether words name a command or group directly below group (one word more).
bool IsChild(const std::vector<std::string>& group, const std::vector<std::string>& words) {
  return words.size() == group.size() + 1 && StartsWith(words, group);
}

std::string GroupHelp(const CommandGroup& group) {
  std::ostringstream text;
  text << "usage: dtwin " << Join(group.words) << " <command> [options]\n\n"
       << "Commands for " << group.summary << ":\n";
  for (const CommandSpec& command : Commands()) {
    if (IsChild(group.words, command.words)) {
      text << PadToColumn("  " + command.words.back(), kGroupHelpColumn) << command.summary << "\n";
    }
  }
  for (const auto& [name, summary] : group.other_commands) {
    text << PadToColumn("  " + name, kGroupHelpColumn) << summary << "\n";
  }
  for (const CommandGroup& child : Groups()) {
    if (IsChild(group.words, child.words)) {
      text << PadToColumn("  " + child.words.back() + " ...", kGroupHelpColumn) << child.summary
           << "\n";
    }
  }
  text << "\nRun 'dtwin " << Join(group.words) << " <command> --help' for a command's options.\n";
  return text.str();
}

int RunGroup(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const CommandGroup* group = nullptr;
  for (const CommandGroup& candidate : Groups()) {
    if (StartsWith(args, candidate.words) &&
        (group == nullptr || candidate.words.size() > group->words.size())) {
      group = &candidate;
    }
  }
  if (group == nullptr) {
    err << "dtwin: unknown command '" << args.front() << "'\n";
    return kExitUsage;
  }
  size_t next = group->words.size();
  if (next < args.size() &&
      (args[next] == "--help" || args[next] == "-h" || args[next] == "help")) {
    out << GroupHelp(*group);
    return kExitOk;
  }
  if (next < args.size()) {
    err << "dtwin: unknown command '" << Join(group->words) << " " << args[next] << "'\n";
  }
  err << GroupHelp(*group);
  return kExitUsage;
}

int UsageFailure(const CommandSpec& command, const UsageError& error, std::ostream& err) {
  err << "dtwin: " << error.what() << "\n"
      << UsageLine(command) << "\n"
      << "Run 'dtwin " << Join(command.words) << " --help' for its options.\n";
  return kExitUsage;
}

// Refusals are the service's answer (exit 1); no answer, or no credential, exit 3.
int ServiceFailure(const client::DigitalTwinsError& error, std::ostream& err) {
  std::string code = error.code().empty() ? "HTTP " + std::to_string(error.status()) : error.code();
  err << "dtwin: " << code << ": " << error.message() << "\n";
  bool unreachable =
      error.status() == 0 || error.status() == 401 || error.code() == client::kAuthenticationError;
  return unreachable ? kExitUnreachable : kExitRefused;
}

}  // namespace

bool IsRemoteCommand(const std::vector<std::string>& args) {
  if (args.empty()) return false;
  return std::any_of(Groups().begin(), Groups().end(), [&args](const CommandGroup& group) {
    return group.words.size() == 1 && group.words[0] == args[0];
  });
}

int RunRemoteCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto command =
      std::find_if(Commands().begin(), Commands().end(),
                   [&args](const CommandSpec& spec) { return StartsWith(args, spec.words); });
  if (command == Commands().end()) return RunGroup(args, out, err);

  std::vector<OptionSpec> specs = command->options;
  specs.insert(specs.end(), CommonOptionSpecs().begin(), CommonOptionSpecs().end());
  ParsedOptions options;
  RemoteOptions remote;
  try {
    options = ParseOptions({args.begin() + command->words.size(), args.end()}, specs);
    if (options.Has("--help")) {
      out << CommandHelp(*command, CommonOptionSpecs());
      return kExitOk;
    }
    remote = ResolveRemoteOptions(options);
  } catch (const UsageError& error) {
    return UsageFailure(*command, error, err);
  }

  try {
    client::DigitalTwinsClient client = MakeClient(remote);
    OutputWriter output(remote.output, out, err);
    CommandContext context{options, client, output, err};
    command->run(context);
    out.flush();
    return kExitOk;
  } catch (const UsageError& error) {
    return UsageFailure(*command, error, err);
  } catch (const client::DigitalTwinsError& error) {
    return ServiceFailure(error, err);
  } catch (const std::exception& error) {
    // Not expected from the client (it reports failures as DigitalTwinsError); say what it was.
    err << "dtwin: " << error.what() << "\n";
    return kExitRefused;
  }
}

std::string RemoteCommandsOverview() {
  std::ostringstream text;
  for (const CommandGroup& group : Groups()) {
    std::string children;
    for (const CommandSpec& command : Commands()) {
      if (IsChild(group.words, command.words)) {
        children += (children.empty() ? "" : "|") + command.words.back();
      }
    }
    text << PadToColumn("  " + Join(group.words) + " " + children, kOverviewColumn) << group.summary
         << "\n";
  }
  return text.str();
}

}  // namespace dtwin::cli
