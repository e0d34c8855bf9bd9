// Parsing a command's options against its OptionSpecs, and the help text made from them.
// Stateless; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace dtwin::cli {

// Parses args (what follows the command words): "--name value", "--name=value", flags, and
// multiple options. Checks unknown options, stray words, repeats of single options, choices,
// and (unless --help is given) required options. Throws UsageError naming what is wrong.
ParsedOptions ParseOptions(const std::vector<std::string>& args,
                           const std::vector<OptionSpec>& specs);

// text, then spaces up to column; or, when text does not fit, a new line indented to column.
// For two-column help listings.
std::string PadToColumn(std::string text, size_t column);

// "usage: dtwin twin create --dtmi ID --twin-id ID [options]".
std::string UsageLine(const CommandSpec& command);

// The full help of a command: usage, description, its options, the common options, examples.
std::string CommandHelp(const CommandSpec& command, const std::vector<OptionSpec>& common);

// One "  --name, --alias VALUE   help" block per option (the format CommandHelp uses).
std::string OptionsHelp(const std::vector<OptionSpec>& options);

}  // namespace dtwin::cli
