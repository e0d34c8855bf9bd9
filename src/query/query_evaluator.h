// Evaluates bound paths and conditions against one binding of the query's slots (the twins
// and relationships of a candidate row). Reads the graph's documents in place; a value that
// the graph keeps compacted ($metadata entries, relationship $-fields) is rebuilt on demand.
// Not thread-safe (one per executing query); the graph must stay locked while it is used.
#pragma once

#include <vector>

#include "graph/twin_graph.h"
#include "query/bound_query.h"
#include "query/query_value.h"

namespace dtwin::query {

// What one slot is bound to: a twin or a relationship, by its kind.
struct SlotBinding {
  const graph::Twin* twin = nullptr;
  const graph::Relationship* relationship = nullptr;
};

using Bindings = std::vector<SlotBinding>;

// The value at path in its slot's document; undefined when the path leads nowhere.
QueryValue LookupPath(const BoundPath& path, const Bindings& bindings);

// The value of a bound expression; conditions yield JSON booleans or undefined.
QueryValue Evaluate(const BoundExpr& expr, const Bindings& bindings);

}  // namespace dtwin::query
