// One page of a planned query (see query_executor.h): streamed, ordered or aggregated.
#include "query/query_executor.h"

#include <algorithm>
#include <cstdint>

#include "common/json_writer.h"
#include "graph/graph_documents.h"
#include "query/pattern_walker.h"
#include "query/query_aggregation.h"

namespace dtwin::query {
namespace {

namespace json = boost::json;

Status ResumeMismatch() {
  return Status(ErrorCode::kBadRequest,
                "The continuation token does not fit this query: pass the continuationToken of "
                "the previous page unchanged, or run the query again without one.");
}

std::vector<RowKeyPart> OwnedKey(const std::vector<RowKeyView>& key) {
  std::vector<RowKeyPart> owned;
  owned.reserve(key.size());
  for (const RowKeyView& part : key) owned.emplace_back(part.first, part.second);
  return owned;
}

// The position after a row (the caller fills in the query text and the rows returned).
QueryContinuation ContinuationAfter(std::vector<RowKeyPart> row_key,
                                    std::vector<std::optional<json::value>> sort_values) {
  QueryContinuation continuation;
  continuation.row_key = std::move(row_key);
  continuation.sort_values = std::move(sort_values);
  return continuation;
}

// Renders rows of bindings as ADT does: SELECT * -> the document; otherwise one member per
// column, omitted when its value is undefined.
class RowRenderer {
 public:
  RowRenderer(const BoundQuery& query, const QueryCatalog& catalog)
      : query_(query), catalog_(catalog) {
    for (const BoundColumn& column : query.columns) {
      std::string prefix;
      AppendJson(json::value(json::string(column.name)), prefix);
      prefix += ':';
      member_prefixes_.push_back(std::move(prefix));
    }
  }

  void Render(const Bindings& bindings, std::string& out) const {
    if (query_.select_all) {
      AppendDocument(bindings[0], out);
      return;
    }
    out += '{';
    bool first = true;
    for (size_t c = 0; c < query_.columns.size(); ++c) {
      const BoundColumn& column = query_.columns[c];
      const size_t mark = out.size();
      out += first ? "" : ",";
      out += member_prefixes_[c];
      if (column.path.segments.empty()) {
        AppendDocument(bindings[column.path.slot], out);
      } else if (QueryValue value = LookupPath(column.path, bindings); value.defined()) {
        AppendJson(value.json(), out);
      } else {
        out.resize(mark);  // undefined: the member is left out
        continue;
      }
      first = false;
    }
    out += '}';
  }

 private:
  void AppendDocument(const SlotBinding& binding, std::string& out) const {
    if (binding.twin != nullptr) {
      catalog_.append_twin_json(*binding.twin, out);
    } else {
      AppendJson(graph::RelationshipDocument(*binding.relationship), out);
    }
  }

  const BoundQuery& query_;
  const QueryCatalog& catalog_;
  std::vector<std::string> member_prefixes_;
};

// Rows in row-key order, stopping once the page is full and one more row is known to exist.
Result<ExecutionResult> Stream(PatternWalker& walker, const RowRenderer& renderer,
                               const QueryContinuation* resume, size_t limit, bool limit_is_top) {
  ExecutionResult result;
  bool more = false;
  std::vector<RowKeyView> last_key;
  Status walked =
      walker.Walk(resume != nullptr ? &resume->row_key : nullptr, [&](const Bindings& bindings) {
        if (result.rows.size() == limit) {
          more = true;
          return false;
        }
        renderer.Render(bindings, result.rows.emplace_back());
        last_key = walker.KeyOf(bindings);
        // TOP reached: no need to look for more.
        return !(limit_is_top && result.rows.size() == limit);
      });
  if (!walked.ok()) return walked;
  if (more) result.next = ContinuationAfter(OwnedKey(last_key), {});
  return result;
}

struct OrderedRow {
  Bindings bindings;
  std::vector<QueryValue> sort;
};

// <0, 0, >0 for ORDER BY values in their directions, then the row keys.
int CompareOrdered(const BoundQuery& query, const std::vector<QueryValue>& sort_a,
                   const std::vector<RowKeyView>& key_a, const std::vector<QueryValue>& sort_b,
                   const std::vector<RowKeyView>& key_b) {
  for (size_t i = 0; i < sort_a.size(); ++i) {
    int order = OrderValues(sort_a[i], sort_b[i]);
    if (query.order_keys[i].descending) order = -order;
    if (order != 0) return order;
  }
  return key_a < key_b ? -1 : (key_b < key_a ? 1 : 0);
}

std::vector<QueryValue> ResumeValues(const QueryContinuation& resume) {
  std::vector<QueryValue> values;
  for (const std::optional<json::value>& value : resume.sort_values) {
    values.push_back(value ? QueryValue::Borrowed(&*value) : QueryValue());
  }
  return values;
}

std::vector<std::optional<json::value>> TokenValues(const std::vector<QueryValue>& values) {
  std::vector<std::optional<json::value>> token;
  for (const QueryValue& value : values) {
    token.push_back(value.defined() ? std::optional<json::value>(value.json()) : std::nullopt);
  }
  return token;
}

// Every match, sorted by ORDER BY; the page starts after the resume position.
Result<ExecutionResult> Ordered(PatternWalker& walker, const BoundQuery& query,
                                const RowRenderer& renderer, const QueryContinuation* resume,
                                size_t limit) {
  std::vector<OrderedRow> rows;
  Status walked = walker.Walk(nullptr, [&](const Bindings& bindings) {
    OrderedRow& row = rows.emplace_back(OrderedRow{bindings, {}});
    for (const BoundOrderKey& key : query.order_keys) {
      // Owned: a value rebuilt for this row (a $metadata entry) must outlive the lookup.
      QueryValue value =
          LookupPath(key.column >= 0 ? query.columns[key.column].path : key.path, row.bindings);
      row.sort.push_back(value.defined() ? QueryValue::Owned(value.json()) : QueryValue());
    }
    return true;
  });
  if (!walked.ok()) return walked;
  std::vector<std::vector<RowKeyView>> keys;
  std::vector<size_t> order(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    keys.push_back(walker.KeyOf(rows[i].bindings));
    order[i] = i;
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return CompareOrdered(query, rows[a].sort, keys[a], rows[b].sort, keys[b]) < 0;
  });
  size_t begin = 0;
  if (resume != nullptr) {
    const std::vector<QueryValue> after = ResumeValues(*resume);
    std::vector<RowKeyView> after_key;
    for (const RowKeyPart& part : resume->row_key) after_key.emplace_back(part.first, part.second);
    while (begin < order.size() && CompareOrdered(query, rows[order[begin]].sort,
                                                  keys[order[begin]], after, after_key) <= 0) {
      ++begin;
    }
  }
  ExecutionResult result;
  const size_t end = std::min(order.size(), begin + limit);
  for (size_t i = begin; i < end; ++i)
    renderer.Render(rows[order[i]].bindings, result.rows.emplace_back());
  if (end < order.size() && end > begin) {
    const size_t last = order[end - 1];
    result.next = ContinuationAfter(OwnedKey(keys[last]), TokenValues(rows[last].sort));
  }
  return result;
}

// Groups (or the one aggregate row), in output order; the page starts after the resume
// position.
Result<ExecutionResult> Aggregated(PatternWalker& walker, const BoundQuery& query,
                                   const QueryContinuation* resume, size_t limit) {
  Aggregator aggregator(query);
  Status walked = walker.Walk(nullptr, [&](const Bindings& bindings) {
    aggregator.Add(bindings);
    return true;
  });
  if (!walked.ok()) return walked;
  const std::vector<GroupRow> groups = aggregator.Finish();
  size_t begin = 0;
  if (resume != nullptr) {
    const std::vector<QueryValue> after = ResumeValues(*resume);
    while (begin < groups.size() &&
           CompareGroupPositions(query, groups[begin].position, after) <= 0) {
      ++begin;
    }
  }
  ExecutionResult result;
  const size_t end = std::min(groups.size(), begin + limit);
  for (size_t i = begin; i < end; ++i) AppendJson(groups[i].row, result.rows.emplace_back());
  if (end < groups.size() && end > begin) {
    result.next = ContinuationAfter({}, TokenValues(groups[end - 1].position));
  }
  return result;
}

// Whether resume could have been made by this query's previous page.
bool ResumeFits(const BoundQuery& query, const QueryPlan& plan, const QueryContinuation& resume) {
  if (query.aggregated) {
    return resume.row_key.empty() &&
           resume.sort_values.size() == query.order_keys.size() + query.group_keys.size();
  }
  return resume.row_key.size() == plan.steps.size() &&
         resume.sort_values.size() == query.order_keys.size();
}

}  // namespace

Result<ExecutionResult> ExecutePlan(const graph::TwinGraph& graph, const QueryCatalog& catalog,
                                    const BoundQuery& query, const QueryPlan& plan,
                                    const QueryContinuation* resume, size_t page_size,
                                    std::chrono::steady_clock::time_point deadline) {
  if (resume != nullptr && !ResumeFits(query, plan, *resume)) return ResumeMismatch();
  const int64_t returned = resume != nullptr ? resume->returned : 0;
  size_t limit = page_size;
  bool limit_is_top = false;
  if (query.top) {
    const int64_t remaining = std::max<int64_t>(0, *query.top - returned);
    if (static_cast<uint64_t>(remaining) <= limit) {
      limit = static_cast<size_t>(remaining);
      limit_is_top = true;
    }
  }
  if (limit == 0) return ExecutionResult{};
  PatternWalker walker(graph, query, plan, deadline);
  const RowRenderer renderer(query, catalog);
  Result<ExecutionResult> result = query.aggregated ? Aggregated(walker, query, resume, limit)
                                   : query.order_keys.empty()
                                       ? Stream(walker, renderer, resume, limit, limit_is_top)
                                       : Ordered(walker, query, renderer, resume, limit);
  if (!result.ok()) return result;
  result->examined = walker.examined();
  // TOP's last row ends the query, whatever else matches.
  if (limit_is_top && result->rows.size() == limit) result->next.reset();
  if (result->next) result->next->returned = returned + static_cast<int64_t>(result->rows.size());
  return result;
}

}  // namespace dtwin::query
