// A query after binding: every name resolved to a slot (a twin or relationship collection),
// functions checked, literals converted to JSON, the WHERE clause split into its top-level
// AND conjuncts, JOIN and MATCH turned into one pattern of edges between twin slots, and the
// result columns named. The planner and executor work only on this. Plain values; immutable
// once built, so one BoundQuery may be read by many threads.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "query/query_ast.h"

namespace dtwin::query {

enum class SlotKind : uint8_t { kTwin, kRelationship };

// A collection the query ranges over: FROM's, a JOIN target or relationship, a MATCH node or
// edge. Anonymous slots (an unnamed FROM, `()` nodes, unnamed single-hop edges) have no name.
struct Slot {
  std::string name;
  SlotKind kind = SlotKind::kTwin;
};

// A path within one slot's document; no segments = the whole document.
struct BoundPath {
  int slot = 0;
  std::vector<std::string> segments;
};

enum class BoundExprKind : uint8_t {
  kLiteral,
  kPath,
  kCompare,  // children[0] op children[1]
  kIn,       // children[0] IN list
  kNotIn,    // children[0] NIN list
  kAnd,
  kOr,
  kNot,
  kFunction,   // function(children...)
  kIsOfModel,  // path.slot's model is one of models
};

enum class QueryFunction : uint8_t {
  kIsDefined,
  kIsNull,
  kIsBool,
  kIsNumber,
  kIsString,
  kIsObject,
  kIsPrimitive,
  kStartsWith,
  kEndsWith,
  kContains,
  kArrayContains,
};

struct BoundExpr {
  BoundExprKind kind = BoundExprKind::kLiteral;
  boost::json::value literal;  // kLiteral
  BoundPath path;              // kPath; kIsOfModel (its slot)
  QueryCompareOp op = QueryCompareOp::kEq;
  QueryFunction function = QueryFunction::kIsDefined;
  std::vector<boost::json::value> list;  // kIn, kNotIn
  std::vector<std::string> models;       // kIsOfModel, sorted
  std::vector<std::unique_ptr<BoundExpr>> children;
  uint64_t slots = 0;  // bit i set: reads slot i
};
using BoundExprPtr = std::unique_ptr<BoundExpr>;

// An edge of the pattern between two twin slots. A JOIN is a forward single-hop edge from
// its source alias to its target; MATCH edges as written (direction normalized so source is
// the twin the relationship leaves, unless either_direction).
struct BoundEdge {
  int source_slot = 0;
  int target_slot = 0;
  bool either_direction = false;
  std::vector<std::string> names;  // empty: any relationship name
  int min_hops = 1;
  int max_hops = 1;
  int relationship_slot = -1;  // the slot binding the relationship; single-hop edges only
};

// A result column: a whole document, a property path, or an aggregate.
struct BoundColumn {
  std::string name;
  QueryAggregate aggregate = QueryAggregate::kNone;
  BoundPath path;  // unused for COUNT()
};

// ORDER BY key: a result column (grouped queries, or a column named by its AS name) or a path.
struct BoundOrderKey {
  int column = -1;
  BoundPath path;
  bool descending = false;
};

struct BoundQuery {
  QueryCollection collection = QueryCollection::kDigitalTwins;
  std::vector<Slot> slots;  // slot 0: FROM's collection (MATCH: its first node)
  std::vector<BoundEdge> edges;
  // JOIN or MATCH: ADT requires a $dtId filter on one of the twins.
  bool traversal = false;
  // MATCH: the single-hop edges of one row bind different relationships.
  bool distinct_relationships = false;
  bool select_all = false;  // SELECT * / SELECT TOP(n): rows are slot 0's documents
  std::optional<int64_t> top;
  std::vector<BoundColumn> columns;   // when !select_all
  bool aggregated = false;            // some column aggregates, or GROUP BY
  std::vector<BoundPath> group_keys;  // their column index is group_columns[i] (or -1)
  std::vector<int> group_columns;
  std::vector<BoundOrderKey> order_keys;
  std::vector<BoundExprPtr> conjuncts;  // WHERE = AND of these; empty: every row
};

}  // namespace dtwin::query
