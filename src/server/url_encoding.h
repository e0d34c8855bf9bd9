// URL pieces the API layer needs: splitting a request target, percent-decoding path
// segments and query parameters, percent-encoding for the links we emit. Stateless
// functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dtwin::server {

// ASCII case-insensitive equality (header names, fixed path segments, query names).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Decodes %XX escapes (and '+' as a space when plus_as_space, as in query strings).
// nullopt when an escape is truncated or not hexadecimal.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_as_space);

// Encodes everything but RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~), so the
// result is safe both as a path segment and as a query value.
std::string PercentEncode(std::string_view text);

struct TargetParts {
  std::string_view path;   // up to '?' (or '#')
  std::string_view query;  // after '?', without any fragment; empty when none
};
TargetParts SplitTarget(std::string_view target);

struct QueryParam {
  std::string name;   // decoded
  std::string value;  // decoded; empty for "?flag" and "?flag="
};

// Decodes a query string ("a=1&b=x%20y"); empty pieces ("a=1&&b=2") are skipped.
// kInvalidArgument naming the parameter when an escape is malformed.
Result<std::vector<QueryParam>> ParseQuery(std::string_view query);

}  // namespace dtwin::server
