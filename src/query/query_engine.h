// Runs one page of an ADT query over the in-memory twin graph: parse -> bind -> plan ->
// execute -> page. Stateless between calls (everything a next page needs is in its
// continuation token). Thread-safety: ExecuteQuery only reads the graph and the catalog;
// the caller holds whatever lock keeps the graph unchanged during the call.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "graph/twin_graph.h"

namespace dtwin::query {

struct QueryOptions {
  // Rows per page when the client sends no max-items-per-page, and the most it may ask for.
  size_t default_page_size = 100;
  size_t max_page_size = 1000;
  // A page that takes longer fails with kTimeoutError (ADT: 60 s).
  std::chrono::milliseconds timeout{60000};
  // JOIN and MATCH without a $dtId filter (ADT refuses them; an opt-in extension here).
  bool allow_unanchored_traversals = false;
};

// What the engine reads besides the graph; supplied by the instance.
struct QueryCatalog {
  // model_id and the ids of every model that extends it, directly or not (IS_OF_MODEL without
  // `exact`). Just {model_id} when the model is unknown.
  std::function<std::vector<std::string>(std::string_view model_id)> model_and_descendants;
  // Appends the twin's full ADT document as JSON text to out (the graph keeps compact
  // documents; the instance renders them, and may serve them from a cache).
  std::function<void(const graph::Twin& twin, std::string& out)> append_twin_json;
};

struct QueryRequest {
  std::string_view text;          // ignored when continuation is not empty (as ADT does)
  std::string_view continuation;  // from the previous page; empty for the first
  size_t max_items = 0;           // max-items-per-page; 0 = options.default_page_size
};

struct QueryPage {
  std::vector<std::string> rows;  // each one JSON object, as text
  std::string continuation;       // empty on the last page
  double charge = 0;              // the query-charge header: a deterministic cost estimate
};

// One page of rows, or: kSqlQueryError (syntax or meaning, with the position and what was
// expected), kBadRequest (a continuation token that is not one of ours),
// kTimeoutError.
Result<QueryPage> ExecuteQuery(const graph::TwinGraph& graph, const QueryCatalog& catalog,
                               const QueryOptions& options, const QueryRequest& request);

}  // namespace dtwin::query
