// Parses ADT query text (reference/adt-api.md section 7) into a Query syntax tree, enforcing
// the service's size limits. Stateless; safe to call from any thread.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/status.h"
#include "query/query_ast.h"

namespace dtwin::query {

inline constexpr size_t kMaxQueryLength = 8000;
inline constexpr size_t kMaxQueryJoins = 5;
inline constexpr size_t kMaxQueryLogicalOperators = 50;  // AND and OR together
inline constexpr int kMaxQueryMatchHops = 10;            // per MATCH edge
inline constexpr size_t kMaxQueryInListSize = 50;        // items in one IN / NIN list
// Nesting of parentheses and NOT: bounds the parser's recursion on hostile input.
inline constexpr size_t kMaxQueryNesting = 64;

// The tree of text, or kSqlQueryError "Query syntax error at position N: ..." (1-based
// character position) naming what was expected and what was found.
Result<Query> ParseQuery(std::string_view text);

}  // namespace dtwin::query
