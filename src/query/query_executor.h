// Executes a planned query for one page: streams rows in row-key order (stopping as soon as
// the page is full), or, for ORDER BY and aggregates, gathers every match, sorts or groups
// it, and slices the page. Not thread-safe (one per call); the graph must stay locked.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "graph/twin_graph.h"
#include "query/bound_query.h"
#include "query/query_continuation.h"
#include "query/query_engine.h"
#include "query/query_planner.h"

namespace dtwin::query {

struct ExecutionResult {
  std::vector<std::string> rows;
  // Where the next page starts (query_text left empty for the caller); nullopt on the last.
  std::optional<QueryContinuation> next;
  size_t examined = 0;
};

// resume: the previous page's continuation, or nullptr for the first page. kBadRequest when
// it does not fit this query; kTimeoutError at the deadline.
Result<ExecutionResult> ExecutePlan(const graph::TwinGraph& graph, const QueryCatalog& catalog,
                                    const BoundQuery& query, const QueryPlan& plan,
                                    const QueryContinuation* resume, size_t page_size,
                                    std::chrono::steady_clock::time_point deadline);

}  // namespace dtwin::query
