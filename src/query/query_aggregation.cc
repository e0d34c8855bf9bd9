// Aggregation and grouping (see query_aggregation.h).
#include "query/query_aggregation.h"

#include <algorithm>

namespace dtwin::query {
namespace {

namespace json = boost::json;

QueryValue OwnedCopy(const QueryValue& value) {
  return value.defined() ? QueryValue::Owned(value.json()) : QueryValue();
}

}  // namespace

int CompareGroupPositions(const BoundQuery& query, const std::vector<QueryValue>& a,
                          const std::vector<QueryValue>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    int order = OrderValues(a[i], b[i]);
    if (i < query.order_keys.size() && query.order_keys[i].descending) order = -order;
    if (order != 0) return order;
  }
  return 0;
}

bool Aggregator::KeyLess::operator()(const std::vector<QueryValue>& a,
                                     const std::vector<QueryValue>& b) const {
  for (size_t i = 0; i < a.size(); ++i) {
    if (const int order = OrderValues(a[i], b[i]); order != 0) return order < 0;
  }
  return false;
}

Aggregator::Aggregator(const BoundQuery& query) : query_(query) {
  // Without GROUP BY there is one group even when nothing matches (COUNT() is then 0).
  if (query.group_keys.empty()) groups_.emplace(std::vector<QueryValue>{}, query.columns.size());
}

void Aggregator::Add(const Bindings& bindings) {
  std::vector<QueryValue> key;
  key.reserve(query_.group_keys.size());
  for (const BoundPath& path : query_.group_keys) key.push_back(LookupPath(path, bindings));
  auto group = groups_.find(key);
  if (group == groups_.end()) {
    std::vector<QueryValue> owned;
    for (const QueryValue& value : key) owned.push_back(OwnedCopy(value));
    group = groups_.emplace(std::move(owned), query_.columns.size()).first;
  }
  for (size_t c = 0; c < query_.columns.size(); ++c) {
    Accumulate(query_.columns[c], bindings, group->second[c]);
  }
}

void Aggregator::Accumulate(const BoundColumn& column, const Bindings& bindings,
                            Accumulator& into) const {
  if (column.aggregate == QueryAggregate::kNone) return;
  if (column.aggregate == QueryAggregate::kCount) {
    ++into.count;
    return;
  }
  const QueryValue value = LookupPath(column.path, bindings);
  if (!value.defined()) return;
  const json::value& json = value.json();
  if (column.aggregate == QueryAggregate::kMin || column.aggregate == QueryAggregate::kMax) {
    const int order = into.best.defined() ? OrderValues(value, into.best) : 0;
    const bool better =
        !into.best.defined() || (column.aggregate == QueryAggregate::kMin ? order < 0 : order > 0);
    if (better) into.best = OwnedCopy(value);
    return;
  }
  if (!json.is_number()) return;  // SUM and AVG count numbers only
  ++into.count;
  into.sum += json.to_number<double>();
  if (into.integral && json.is_int64()) {
    into.integral = !__builtin_add_overflow(into.integer_sum, json.get_int64(), &into.integer_sum);
  } else {
    into.integral = false;
  }
}

json::object Aggregator::RenderGroup(const std::vector<QueryValue>& key,
                                     const std::vector<Accumulator>& accumulators) const {
  json::object row;
  for (size_t c = 0; c < query_.columns.size(); ++c) {
    const BoundColumn& column = query_.columns[c];
    const Accumulator& accumulator = accumulators[c];
    switch (column.aggregate) {
      case QueryAggregate::kNone: {
        auto g = std::find(query_.group_columns.begin(), query_.group_columns.end(),
                           static_cast<int>(c));
        const QueryValue& value = key[g - query_.group_columns.begin()];
        if (value.defined()) row[column.name] = value.json();
        break;
      }
      case QueryAggregate::kCount:
        row[column.name] = accumulator.count;
        break;
      case QueryAggregate::kSum:
        if (accumulator.integral) {
          row[column.name] = accumulator.integer_sum;
        } else {
          row[column.name] = accumulator.sum;
        }
        break;
      case QueryAggregate::kAvg:
        if (accumulator.count > 0) {
          row[column.name] = accumulator.sum / static_cast<double>(accumulator.count);
        }
        break;
      case QueryAggregate::kMin:
      case QueryAggregate::kMax:
        if (accumulator.best.defined()) row[column.name] = accumulator.best.json();
        break;
    }
  }
  return row;
}

std::vector<GroupRow> Aggregator::Finish() const {
  std::vector<GroupRow> rows;
  rows.reserve(groups_.size());
  for (const auto& [key, accumulators] : groups_) {
    GroupRow group{RenderGroup(key, accumulators), {}};
    for (const BoundOrderKey& order : query_.order_keys) {
      const json::value* value = group.row.if_contains(query_.columns[order.column].name);
      group.position.push_back(value != nullptr ? QueryValue::Owned(*value) : QueryValue());
    }
    for (const QueryValue& value : key) group.position.push_back(value);
    rows.push_back(std::move(group));
  }
  // The map already orders groups by key; ORDER BY reorders them (stable keeps key order
  // among ties, which the position's trailing key values also encode).
  if (!query_.order_keys.empty()) {
    std::stable_sort(rows.begin(), rows.end(), [&](const GroupRow& a, const GroupRow& b) {
      return CompareGroupPositions(query_, a.position, b.position) < 0;
    });
  }
  return rows;
}

}  // namespace dtwin::query
