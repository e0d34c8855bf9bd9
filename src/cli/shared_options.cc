// Options shared by the remote command groups (see shared_options.h).
#include "cli/shared_options.h"

#include <utility>

namespace dtwin::cli {

OptionSpec TwinIdOption(std::string help) {
  return ValueOption({"--twin-id", "-t"}, "ID", std::move(help)).MarkRequired();
}

OptionSpec DtmiOption(std::string help) {
  return ValueOption({"--dtmi", "--model-id", "-m"}, "DTMI", std::move(help)).MarkRequired();
}

OptionSpec EtagOption() {
  return ValueOption({"--etag", "-e"}, "ETAG",
                     "only if the resource still has this etag (If-Match)");
}

OptionSpec JsonPatchOption() {
  return ValueOption({"--json-patch", "--patch"}, "JSON",
                     "JSON Patch operations: inline, @FILE, @- or a file path")
      .MarkRequired();
}

OptionSpec IfNoneMatchOption() {
  return FlagOption({"--if-none-match"}, "fail if it already exists instead of replacing it");
}

client::MatchConditions MatchConditionsFrom(const ParsedOptions& options) {
  client::MatchConditions conditions;
  conditions.if_match = options.Get("--etag");
  conditions.if_none_match_any = options.Has("--if-none-match");
  return conditions;
}

}  // namespace dtwin::cli
