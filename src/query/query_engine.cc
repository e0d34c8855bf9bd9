// The query pipeline for one page (see query_engine.h): continuation -> parse -> bind ->
// plan -> execute, and the page's query charge.
#include "query/query_engine.h"

#include <cmath>

#include "query/query_binder.h"
#include "query/query_continuation.h"
#include "query/query_executor.h"
#include "query/query_parser.h"
#include "query/query_planner.h"

namespace dtwin::query {
namespace {

// query-charge: a deterministic estimate in ADT's "query units": 1 per request, plus a unit
// per 1,000 candidates examined and per 100 rows returned; two decimals as ADT shows them.
double ChargeOf(size_t examined, size_t rows) {
  const double units =
      1.0 + static_cast<double>(examined) / 1000.0 + static_cast<double>(rows) / 100.0;
  return std::round(units * 100.0) / 100.0;
}

}  // namespace

Result<QueryPage> ExecuteQuery(const graph::TwinGraph& graph, const QueryCatalog& catalog,
                               const QueryOptions& options, const QueryRequest& request) {
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  std::optional<QueryContinuation> resume;
  std::string_view text = request.text;
  if (!request.continuation.empty()) {
    Result<QueryContinuation> decoded = DecodeQueryContinuation(request.continuation);
    if (!decoded.ok()) return decoded.status();
    resume = std::move(decoded).value();
    text = resume->query_text;
  }
  const size_t page_size = request.max_items == 0
                               ? options.default_page_size
                               : std::min(request.max_items, options.max_page_size);

  Result<Query> parsed = ParseQuery(text);
  if (!parsed.ok()) return parsed.status();
  Result<BoundQuery> bound = BindQuery(*parsed, catalog);
  if (!bound.ok()) return bound.status();
  Result<QueryPlan> plan = PlanQuery(*bound, graph, options.allow_unanchored_traversals);
  if (!plan.ok()) return plan.status();
  Result<ExecutionResult> executed =
      ExecutePlan(graph, catalog, *bound, *plan, resume ? &*resume : nullptr, page_size, deadline);
  if (!executed.ok()) return executed.status();

  QueryPage page;
  page.charge = ChargeOf(executed->examined, executed->rows.size());
  page.rows = std::move(executed->rows);
  if (executed->next) {
    executed->next->query_text = std::string(text);
    page.continuation = EncodeQueryContinuation(*executed->next);
  }
  return page;
}

}  // namespace dtwin::query
