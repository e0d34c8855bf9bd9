// Binds a parsed query: resolves aliases and property paths to slots, checks functions and
// their arguments, expands IS_OF_MODEL to the model ids it accepts, names result columns and
// checks ADT's rules on what may be combined. Stateless; thread-safe.
#pragma once

#include <string_view>

#include "common/status.h"
#include "query/bound_query.h"
#include "query/query_ast.h"
#include "query/query_engine.h"

namespace dtwin::query {

// The bound query, or kSqlQueryError "Invalid query at position N: ..." naming the problem.
Result<BoundQuery> BindQuery(const Query& query, const QueryCatalog& catalog);

// kSqlQueryError for a query that parses but means nothing: "Invalid query at position N:
// what" (1-based character position).
Status QueryMeaningError(size_t offset, std::string_view what);

}  // namespace dtwin::query
