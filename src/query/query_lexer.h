// Splits ADT query text into tokens with their byte offsets, so the parser can name the
// position of every error. Stateless functions; safe to call from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dtwin::query {

enum class QueryTokenKind : uint8_t {
  kEnd,
  kWord,         // a keyword, alias, property name or function name ("T", "$dtId", "select")
  kEscapedWord,  // [[Group]]: a reserved word used as a name; never a keyword
  kString,       // 'text' or "text"
  kNumber,       // 12, -3.5, 1e6
  kLeftParen,
  kRightParen,
  kLeftBracket,
  kRightBracket,
  kComma,
  kDot,
  kStar,
  kMinus,  // MATCH edges: -[ ]-> and <-[ ]-
  kColon,
  kPipe,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
};

struct QueryToken {
  QueryTokenKind kind = QueryTokenKind::kEnd;
  std::string_view text;  // as written (a string with its quotes, an escaped word with brackets)
  size_t offset = 0;      // byte offset of its first character
  std::string value;      // kString: contents with escapes resolved; kWord/kEscapedWord: the name

  // Whether this is the unescaped word `upper` (an upper-case keyword), ignoring ASCII case.
  bool IsKeyword(std::string_view upper) const;
};

// "Query syntax error at position <offset+1>: <what>": the one shape of every query error.
Status QuerySyntaxError(size_t offset, std::string_view what);

// The tokens of text, ending with one kEnd token, or the first lexical error
// (an unterminated string or [[name]], a character that starts no token).
Result<std::vector<QueryToken>> TokenizeQuery(std::string_view text);

}  // namespace dtwin::query
