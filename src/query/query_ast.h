// The syntax tree of one ADT query, as written: names are not yet bound to collections
// (the binder decides whether "T.name" is alias T's property or a nested property).
// Plain value types; safe to copy between threads once built.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace dtwin::query {

// A dotted name: "T.$metadata.$model" is {"T", "$metadata", "$model"}; [[Group]] is "Group".
struct QueryPath {
  std::vector<std::string> segments;
  size_t offset = 0;  // byte offset of the first segment
};

// null, true/false, an integer, a double or a string.
using QueryLiteral = std::variant<std::nullptr_t, bool, int64_t, double, std::string>;

enum class QueryExprKind : uint8_t {
  kLiteral,  // literal
  kPath,     // path
  kCall,     // function(children...): name upper-cased; a bare-word argument (`exact`) is a kPath
  kList,     // [children...] of literals: the right side of IN / NIN
  kCompare,  // children[0] op children[1]
  kIn,       // children[0] IN children[1] (a kList)
  kNotIn,    // children[0] NIN children[1]
  kAnd,      // children[0] AND children[1]
  kOr,       // children[0] OR children[1]
  kNot,      // NOT children[0]
};

enum class QueryCompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

struct QueryExpr;
using QueryExprPtr = std::unique_ptr<QueryExpr>;

struct QueryExpr {
  QueryExprKind kind = QueryExprKind::kLiteral;
  size_t offset = 0;  // where the expression (or, for operators, the operator) starts
  QueryLiteral literal;
  QueryPath path;
  std::string function_name;
  QueryCompareOp op = QueryCompareOp::kEq;
  std::vector<QueryExprPtr> children;
};

// COUNT() is ADT's; SUM, AVG, MIN and MAX (and GROUP BY) are dtwin extensions.
enum class QueryAggregate : uint8_t { kNone, kCount, kSum, kAvg, kMin, kMax };

// The function name of an aggregate, upper-cased as it names a result column ("COUNT");
// empty for kNone.
constexpr std::string_view AggregateName(QueryAggregate aggregate) {
  switch (aggregate) {
    case QueryAggregate::kCount:
      return "COUNT";
    case QueryAggregate::kSum:
      return "SUM";
    case QueryAggregate::kAvg:
      return "AVG";
    case QueryAggregate::kMin:
      return "MIN";
    case QueryAggregate::kMax:
      return "MAX";
    case QueryAggregate::kNone:
      break;
  }
  return "";
}

// One projected item: a collection alias, a property path, or an aggregate over a path
// (COUNT() has none), with an optional AS name.
struct QueryProjection {
  QueryAggregate aggregate = QueryAggregate::kNone;
  QueryPath path;
  std::optional<std::string> as_name;
  size_t offset = 0;  // of the item's first token
};

enum class QuerySelectKind : uint8_t {
  kAll,          // SELECT * (or SELECT TOP(n) with nothing after it)
  kProjections,  // SELECT a, b.c AS d, COUNT()
};

struct QuerySelect {
  QuerySelectKind kind = QuerySelectKind::kAll;
  std::optional<int64_t> top;
  std::vector<QueryProjection> projections;
};

enum class QueryCollection : uint8_t { kDigitalTwins, kRelationships };

// JOIN target RELATED source.relationship [relationship_alias]
struct QueryJoin {
  std::string target_alias;
  std::string source_alias;
  std::string relationship_name;
  std::optional<std::string> relationship_alias;
  size_t offset = 0;                     // of the JOIN keyword
  size_t target_offset = 0;              // of target_alias
  size_t relationship_alias_offset = 0;  // of relationship_alias, when given
};

// (alias) in a MATCH pattern; no alias accepts any twin.
struct QueryMatchNode {
  std::optional<std::string> alias;
  size_t offset = 0;  // of '('
};

enum class QueryEdgeDirection : uint8_t {
  kForward,   // (a)-[]->(b): a is the source
  kBackward,  // (a)<-[]-(b): b is the source
  kEither,    // (a)-[]-(b)
};

// -[relationship_alias:name1|name2*hops]-> between two nodes. Hops are resolved to an
// inclusive range: [*3] is 3..3, [*1..3] is 2..3 (ADT's lower bound is exclusive),
// [*..2] is 1..2, no hops is 1..1.
struct QueryMatchEdge {
  QueryEdgeDirection direction = QueryEdgeDirection::kForward;
  std::optional<std::string> relationship_alias;
  std::vector<std::string> relationship_names;  // empty: any name
  int min_hops = 1;
  int max_hops = 1;
  size_t offset = 0;  // of the edge's first character
};

// A chain: nodes[i] -edges[i]- nodes[i + 1]; edges.size() == nodes.size() - 1.
struct QueryMatch {
  std::vector<QueryMatchNode> nodes;
  std::vector<QueryMatchEdge> edges;
  size_t offset = 0;  // of the MATCH keyword
};

// ORDER BY key (an extension): a property path, or the name of a result column.
struct QueryOrderKey {
  QueryPath path;
  bool descending = false;
};

struct Query {
  QuerySelect select;
  QueryCollection collection = QueryCollection::kDigitalTwins;
  std::optional<std::string> alias;
  std::vector<QueryJoin> joins;
  std::optional<QueryMatch> match;      // never together with joins
  QueryExprPtr where;                   // null without WHERE
  std::vector<QueryPath> group_by;      // extension
  std::vector<QueryOrderKey> order_by;  // extension
  size_t order_by_offset = 0;           // of the ORDER keyword
};

}  // namespace dtwin::query
