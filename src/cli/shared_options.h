// Options several remote command groups share (--twin-id, --dtmi, --etag, --json-patch), and
// the match conditions they ask for. Stateless; thread-safe.
#pragma once

#include <string>

#include "cli/command.h"
#include "dtwin/client/types.h"

namespace dtwin::cli {

OptionSpec TwinIdOption(std::string help);
OptionSpec DtmiOption(std::string help);
// --etag ETAG: only if the resource still has this etag (If-Match).
OptionSpec EtagOption();
// --json-patch JSON (required).
OptionSpec JsonPatchOption();
// --if-none-match: only create, never replace (If-None-Match: *).
OptionSpec IfNoneMatchOption();

// If-Match from --etag and If-None-Match: * from --if-none-match, where given.
client::MatchConditions MatchConditionsFrom(const ParsedOptions& options);

}  // namespace dtwin::cli
