// Reference evaluator: see reference_evaluator.h. Bindings -> WHERE -> (groups) -> rows ->
// ORDER BY, each step the most direct reading of docs/query.md.
#include "reference_evaluator.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "query/query_parser.h"
#include "reference_bindings.h"
#include "reference_scope.h"
#include "reference_values.h"

namespace dtwin::query::testing {
namespace {

// One result column of a projection list.
struct Column {
  std::string name;
  const QueryProjection* projection = nullptr;
  ValueFunction value;  // of the projected path (the aggregate's input); empty for COUNT()
};

// An ORDER BY key: a function of the binding (plain queries) or the index of a value among
// a group's column values followed by its key values (aggregate queries).
struct OrderKey {
  ValueFunction value;
  size_t index = 0;
  bool descending = false;
};

// A result row and the values it is ordered by.
struct Record {
  boost::json::object row;
  std::vector<Value> order_values;
};

struct Group {
  std::vector<Value> keys;
  std::vector<const Binding*> members;
};

Result<std::vector<Column>> CompileColumns(const ReferenceScope& scope) {
  std::vector<Column> columns;
  std::set<std::string> names;
  for (const QueryProjection& projection : scope.query().select.projections) {
    Column column;
    column.projection = &projection;
    column.name = projection.as_name ? *projection.as_name
                  : projection.aggregate != QueryAggregate::kNone
                      ? std::string(AggregateName(projection.aggregate))
                      : projection.path.segments.back();
    if (!names.insert(column.name).second) {
      return ReferenceQueryError(projection.offset, "two result columns are named '" + column.name +
                                                        "'; rename one with AS");
    }
    if (projection.aggregate != QueryAggregate::kCount) {
      Result<ValueFunction> value = scope.CompilePath(projection.path);
      if (!value.ok()) return value.status();
      column.value = std::move(value).value();
    }
    columns.push_back(std::move(column));
  }
  return columns;
}

// The column an ORDER BY key names: a one-segment key equal to a result column's name.
std::optional<size_t> ColumnNamed(const std::vector<Column>& columns, const QueryPath& path) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (path.segments.size() == 1 && columns[i].name == path.segments[0]) return i;
  }
  return std::nullopt;
}

std::optional<size_t> GroupPathIndex(const Query& query, const QueryPath& path) {
  for (size_t i = 0; i < query.group_by.size(); ++i) {
    if (query.group_by[i].segments == path.segments) return i;
  }
  return std::nullopt;
}

// Lexicographic, in the ORDER BY type order; descending flips one position's order.
int CompareValueLists(const std::vector<Value>& left, const std::vector<Value>& right,
                      const std::vector<OrderKey>* keys) {
  for (size_t i = 0; i < left.size(); ++i) {
    const int order = CompareInTypeOrder(left[i], right[i]);
    if (order != 0) return keys != nullptr && (*keys)[i].descending ? -order : order;
  }
  return 0;
}

void SetIfDefined(boost::json::object& row, const std::string& name, const Value& value) {
  if (value) row[name] = *value;
}

// ORDER BY of a plain query: result columns by name, otherwise paths of the row's documents.
Result<std::vector<OrderKey>> CompilePlainOrder(const ReferenceScope& scope,
                                                const std::vector<Column>& columns) {
  std::vector<OrderKey> keys;
  for (const QueryOrderKey& key : scope.query().order_by) {
    OrderKey order;
    order.descending = key.descending;
    if (std::optional<size_t> column = ColumnNamed(columns, key.path)) {
      order.value = columns[*column].value;
    } else {
      Result<ValueFunction> value = scope.CompilePath(key.path);
      if (!value.ok()) return value.status();
      order.value = std::move(value).value();
    }
    keys.push_back(std::move(order));
  }
  return keys;
}

std::vector<Record> PlainRecords(const ReferenceScope& scope, const std::vector<Column>& columns,
                                 const std::vector<OrderKey>& keys,
                                 const std::vector<Binding>& bindings) {
  std::vector<Record> records;
  for (const Binding& binding : bindings) {
    Record record;
    if (scope.query().select.kind == QuerySelectKind::kAll) {
      record.row = scope.Document(scope.layout().from, binding);
    }
    for (const Column& column : columns)
      SetIfDefined(record.row, column.name, column.value(binding));
    for (const OrderKey& key : keys) record.order_values.push_back(key.value(binding));
    records.push_back(std::move(record));
  }
  return records;
}

// The GROUP BY key functions, after checking every plain column is a GROUP BY path.
Result<std::vector<ValueFunction>> CompileGrouping(const ReferenceScope& scope,
                                                   const std::vector<Column>& columns) {
  const Query& query = scope.query();
  if (query.select.kind == QuerySelectKind::kAll) {
    return ReferenceQueryError(0, "GROUP BY needs a projection list, not *");
  }
  for (const Column& column : columns) {
    if (column.projection->aggregate == QueryAggregate::kNone &&
        !GroupPathIndex(query, column.projection->path)) {
      return ReferenceQueryError(column.projection->offset,
                                 "'" + JoinedPath(column.projection->path) +
                                     "' is neither aggregated nor a GROUP BY path");
    }
  }
  std::vector<ValueFunction> key_functions;
  for (const QueryPath& path : query.group_by) {
    Result<ValueFunction> key = scope.CompilePath(path);
    if (!key.ok()) return key.status();
    key_functions.push_back(std::move(key).value());
  }
  return key_functions;
}

// ORDER BY of an aggregate query: result columns by name, or GROUP BY paths.
Result<std::vector<OrderKey>> CompileAggregateOrder(const Query& query,
                                                    const std::vector<Column>& columns) {
  std::vector<OrderKey> keys;
  for (const QueryOrderKey& key : query.order_by) {
    OrderKey order;
    order.descending = key.descending;
    if (std::optional<size_t> column = ColumnNamed(columns, key.path)) {
      order.index = *column;
    } else if (std::optional<size_t> group_path = GroupPathIndex(query, key.path)) {
      order.index = columns.size() + *group_path;
    } else {
      return ReferenceQueryError(key.path.offset, "ORDER BY '" + JoinedPath(key.path) +
                                                      "' is neither a result column nor a "
                                                      "GROUP BY path");
    }
    keys.push_back(std::move(order));
  }
  return keys;
}

// Rows of an aggregate query: one per group of equal GROUP BY values (one in all without).
std::vector<Record> AggregateRecords(const Query& query, const std::vector<Column>& columns,
                                     const std::vector<ValueFunction>& key_functions,
                                     const std::vector<OrderKey>& keys,
                                     const std::vector<Binding>& bindings) {
  std::vector<Group> groups;
  if (query.group_by.empty()) groups.emplace_back();
  for (const Binding& binding : bindings) {
    std::vector<Value> values;
    for (const ValueFunction& key : key_functions) values.push_back(key(binding));
    const auto same_keys = [&](const Group& group) {
      return std::equal(values.begin(), values.end(), group.keys.begin(),
                        [](const Value& a, const Value& b) {
                          return a.has_value() == b.has_value() && (!a || ValuesEqual(*a, *b));
                        });
    };
    auto group = std::find_if(groups.begin(), groups.end(), same_keys);
    if (group == groups.end()) group = groups.insert(groups.end(), Group{std::move(values), {}});
    group->members.push_back(&binding);
  }
  std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
    return CompareValueLists(a.keys, b.keys, nullptr) < 0;
  });

  std::vector<Record> records;
  for (const Group& group : groups) {
    std::vector<Value> values;  // the columns', then the keys'
    Record record;
    for (const Column& column : columns) {
      const QueryAggregate aggregate = column.projection->aggregate;
      if (aggregate == QueryAggregate::kNone) {
        values.push_back(group.keys[*GroupPathIndex(query, column.projection->path)]);
      } else {
        std::vector<Value> inputs;
        for (const Binding* member : group.members) {
          inputs.push_back(column.value ? column.value(*member) : Value());
        }
        values.push_back(Aggregate(aggregate, inputs));
      }
      SetIfDefined(record.row, column.name, values.back());
    }
    values.insert(values.end(), group.keys.begin(), group.keys.end());
    for (const OrderKey& key : keys) record.order_values.push_back(values[key.index]);
    records.push_back(std::move(record));
  }
  return records;
}

// The natural order, and ORDER BY's tie order: the ids of the row's documents, slot by slot.
bool IdsBefore(const ReferenceScope& scope, const Binding& left, const Binding& right) {
  const auto ids = [&scope](const Binding& binding) {
    std::vector<std::string_view> ids;
    for (size_t slot = 0; slot < binding.size(); ++slot) {
      const boost::json::object& document = scope.Document(slot, binding);
      if (scope.layout().slots[slot].twin) {
        ids.push_back(StringMember(document, "$dtId"));
      } else {
        ids.push_back(StringMember(document, "$sourceId"));
        ids.push_back(StringMember(document, "$relationshipId"));
      }
    }
    return ids;
  };
  return ids(left) < ids(right);
}

}  // namespace

Result<ReferenceResult> ReferenceEvaluate(std::string_view text, const ReferenceData& data) {
  Result<Query> parsed = ParseQuery(text);
  if (!parsed.ok()) return parsed.status();
  const Query& query = *parsed;
  ReferenceScope scope(query, data);
  if (Status status = scope.Declare(); !status.ok()) return status;
  if (query.select.kind == QuerySelectKind::kAll && !scope.single_collection()) {
    return ReferenceQueryError(0, "SELECT * cannot be used with JOIN or MATCH; project aliases");
  }
  ValueFunction where = [](const Binding&) -> Value { return true; };
  if (query.where) {
    Result<ValueFunction> compiled = scope.Compile(*query.where);
    if (!compiled.ok()) return compiled.status();
    where = std::move(compiled).value();
  }
  Result<std::vector<Column>> columns = CompileColumns(scope);
  if (!columns.ok()) return columns.status();
  const bool aggregating = !query.group_by.empty() ||
                           std::any_of(columns->begin(), columns->end(), [](const Column& column) {
                             return column.projection->aggregate != QueryAggregate::kNone;
                           });
  Result<std::vector<ValueFunction>> group_keys = std::vector<ValueFunction>();
  if (aggregating) group_keys = CompileGrouping(scope, *columns);
  if (!group_keys.ok()) return group_keys.status();
  Result<std::vector<OrderKey>> keys =
      aggregating ? CompileAggregateOrder(query, *columns) : CompilePlainOrder(scope, *columns);
  if (!keys.ok()) return keys.status();
  if (Status status = scope.CheckAnchored(); !status.ok()) return status;

  std::vector<Binding> bindings = EnumerateBindings(scope);
  std::erase_if(bindings, [&](const Binding& binding) { return TruthOf(where(binding)) != true; });
  std::stable_sort(bindings.begin(), bindings.end(),
                   [&](const Binding& a, const Binding& b) { return IdsBefore(scope, a, b); });
  std::vector<Record> records =
      aggregating ? AggregateRecords(query, *columns, *group_keys, *keys, bindings)
                  : PlainRecords(scope, *columns, *keys, bindings);
  std::stable_sort(records.begin(), records.end(), [&](const Record& a, const Record& b) {
    return CompareValueLists(a.order_values, b.order_values, &*keys) < 0;
  });

  ReferenceResult result;
  for (Record& record : records) result.rows.push_back(std::move(record.row));
  result.ordered = !query.order_by.empty() || !query.group_by.empty();
  result.top = query.select.top;
  return result;
}

}  // namespace dtwin::query::testing
