// Option parsing and help text for the remote commands (see command_line.h).
#include "cli/command_line.h"

#include <algorithm>
#include <sstream>

namespace dtwin::cli {

namespace {

constexpr size_t kHelpColumn = 32;

const OptionSpec* FindSpec(const std::vector<OptionSpec>& specs, std::string_view name) {
  for (const OptionSpec& spec : specs) {
    if (std::find(spec.names.begin(), spec.names.end(), name) != spec.names.end()) return &spec;
  }
  return nullptr;
}

bool LooksLikeOption(const std::string& word) { return word.size() > 1 && word[0] == '-'; }

// Whether word is one of specs' options ("--name" or "--name=value").
bool IsOptionName(const std::vector<OptionSpec>& specs, const std::string& word) {
  return FindSpec(specs, word.substr(0, word.find('='))) != nullptr;
}

std::string JoinChoices(const std::vector<std::string>& choices) {
  std::string joined;
  for (const std::string& choice : choices) joined += (joined.empty() ? "" : "|") + choice;
  return joined;
}

void CheckChoice(const OptionSpec& spec, const std::string& value) {
  if (spec.choices.empty() ||
      std::find(spec.choices.begin(), spec.choices.end(), value) != spec.choices.end()) {
    return;
  }
  throw UsageError(spec.names[0] + ": '" + value + "' is not one of " + JoinChoices(spec.choices));
}

}  // namespace

std::optional<std::string> ParsedOptions::Get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.front();
}

std::vector<std::string> ParsedOptions::GetAll(std::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

const std::string& ParsedOptions::Required(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) {
    // A spec that calls Required on an option it did not mark required is a programmer error;
    // still, say which option rather than crash.
    throw UsageError("missing " + std::string(name));
  }
  return it->second.front();
}

ParsedOptions ParseOptions(const std::vector<std::string>& args,
                           const std::vector<OptionSpec>& specs) {
  ParsedOptions parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!LooksLikeOption(arg)) throw UsageError("unexpected argument '" + arg + "'");
    std::string name = arg;
    std::optional<std::string> inline_value;
    if (size_t equals = arg.find('='); arg.rfind("--", 0) == 0 && equals != std::string::npos) {
      name = arg.substr(0, equals);
      inline_value = arg.substr(equals + 1);
    }
    const OptionSpec* spec = FindSpec(specs, name);
    if (spec == nullptr) throw UsageError("unknown option '" + name + "'");
    const std::string& canonical = spec->names[0];
    if (spec->value_name.empty()) {
      if (inline_value) throw UsageError(canonical + " takes no value");
      if (parsed.Has(canonical)) throw UsageError(canonical + " given twice");
      parsed.Add(canonical, "");
      continue;
    }
    if (!spec->multiple && parsed.Has(canonical)) throw UsageError(canonical + " given twice");
    if (!inline_value) {
      // The next word is the value even when it starts with '-' (a filter, a negative
      // number), unless it is one of the command's options: then the value was forgotten.
      if (i + 1 >= args.size() || IsOptionName(specs, args[i + 1])) {
        throw UsageError(canonical + " needs a value (" + spec->value_name + ")");
      }
      inline_value = args[++i];
    }
    CheckChoice(*spec, *inline_value);
    parsed.Add(canonical, std::move(*inline_value));
    if (spec->multiple) {
      while (i + 1 < args.size() && !LooksLikeOption(args[i + 1])) parsed.Add(canonical, args[++i]);
    }
  }
  if (parsed.Has("--help")) return parsed;
  for (const OptionSpec& spec : specs) {
    if (spec.required && !parsed.Has(spec.names[0])) {
      throw UsageError("missing " + spec.names[0] + " " + spec.value_name);
    }
  }
  return parsed;
}

std::string PadToColumn(std::string text, size_t column) {
  if (text.size() + 1 < column) return text + std::string(column - text.size(), ' ');
  return text + "\n" + std::string(column, ' ');
}

std::string UsageLine(const CommandSpec& command) {
  std::string line = "usage: dtwin";
  for (const std::string& word : command.words) line += " " + word;
  for (const OptionSpec& spec : command.options) {
    if (spec.required) line += " " + spec.names[0] + " " + spec.value_name;
  }
  return line + " [options]";
}

std::string OptionsHelp(const std::vector<OptionSpec>& options) {
  std::ostringstream text;
  for (const OptionSpec& spec : options) {
    std::string head = "  ";
    for (size_t i = 0; i < spec.names.size(); ++i) head += (i == 0 ? "" : ", ") + spec.names[i];
    if (!spec.value_name.empty()) {
      head += " " + (spec.choices.empty() ? spec.value_name : JoinChoices(spec.choices));
      if (spec.multiple) head += "...";
    }
    std::string help = spec.help + (spec.required ? " (required)" : "");
    text << PadToColumn(head, kHelpColumn) << help << "\n";
  }
  return text.str();
}

std::string CommandHelp(const CommandSpec& command, const std::vector<OptionSpec>& common) {
  std::ostringstream text;
  text << UsageLine(command) << "\n\n" << command.summary << ".\n";
  if (!command.description.empty()) text << command.description << "\n";
  if (!command.options.empty()) text << "\noptions:\n" << OptionsHelp(command.options);
  text << "\ncommon options:\n" << OptionsHelp(common);
  if (!command.examples.empty()) {
    text << "\nexamples:\n";
    for (const std::string& example : command.examples) text << "  " << example << "\n";
  }
  text << "\nexit status: 0 done, 1 the service refused, 2 usage error, 3 service unreachable\n"
          "or authentication failed\n";
  return text.str();
}

}  // namespace dtwin::cli
