// JSON Pointer (RFC 6901) over boost::json values: parsing into reference tokens, escaping,
// and lookup. Stateless; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dtwin {

// "/a~1b/0" -> {"a/b", "0"}. "" -> {}. A pointer that does not start with '/' or has a
// '~' not followed by 0 or 1 is kInvalidArgument naming the problem.
Result<std::vector<std::string>> ParseJsonPointer(std::string_view pointer);

// Escapes one reference token ("a/b" -> "a~1b", "x~y" -> "x~0y").
std::string EscapeJsonPointerToken(std::string_view token);

// Appends the escaped token to out (no allocation when out has room).
void AppendEscapedJsonPointerToken(std::string_view token, std::string& out);

// Builds a pointer from tokens: {"a", "b"} -> "/a/b".
std::string JoinJsonPointer(const std::vector<std::string>& tokens);

// The value at pointer, or nullptr when any step is missing. Array indices are decimal
// without leading zeros ("-" never resolves).
const boost::json::value* FindJsonPointer(const boost::json::value& root, std::string_view pointer);
boost::json::value* FindJsonPointer(boost::json::value& root, std::string_view pointer);

}  // namespace dtwin
