// The collections (slots) a query declares and the compilation of its expressions into plain
// functions of one row, for the reference evaluator. Every semantic check happens here, before
// any row is looked at, so errors never depend on the data. Not thread-safe; one per evaluation.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "query/query_ast.h"
#include "reference_evaluator.h"
#include "reference_values.h"

namespace dtwin::query::testing {

inline constexpr size_t kNoSlot = SIZE_MAX;

// One collection of the query: each row binds it to one twin or one relationship.
struct ReferenceSlot {
  std::optional<std::string> alias;  // none: anonymous MATCH node or unnamed relationship
  bool twin = true;
  bool match_node = false;  // a named MATCH node alias may repeat
};

// One row before projection: for each slot, the index of its document in ReferenceData's
// twins or relationships.
using Binding = std::vector<size_t>;

// A compiled expression: its value in one row.
using ValueFunction = std::function<Value(const Binding&)>;

struct ReferenceJoinSlots {
  size_t source = kNoSlot;
  size_t target = kNoSlot;
  size_t relationship = kNoSlot;  // also for JOINs without a relationship alias
};

// The slots in declaration order: FROM, then JOIN targets and relationships, or MATCH nodes
// and edges in pattern order.
struct ReferenceLayout {
  std::vector<ReferenceSlot> slots;
  size_t from = kNoSlot;                  // none for MATCH without a FROM alias
  std::vector<ReferenceJoinSlots> joins;  // one per JOIN
  std::vector<size_t> nodes;              // one per MATCH node (repeated aliases share)
  std::vector<size_t> edges;              // one per MATCH edge; kNoSlot for variable hops
};

class ReferenceScope {
 public:
  ReferenceScope(const Query& query, const ReferenceData& data) : query_(query), data_(data) {}
  ReferenceScope(const ReferenceScope&) = delete;  // compiled functions point at it
  ReferenceScope& operator=(const ReferenceScope&) = delete;

  // Declares the slots: unique aliases, JOIN sources declared earlier.
  Status Declare();

  const ReferenceLayout& layout() const { return layout_; }
  const Query& query() const { return query_; }
  const ReferenceData& data() const { return data_; }
  bool single_collection() const { return query_.joins.empty() && !query_.match; }

  const boost::json::object& Document(size_t slot, const Binding& binding) const;

  Result<ValueFunction> CompilePath(const QueryPath& path) const;
  Result<ValueFunction> Compile(const QueryExpr& expr) const;

  // JOIN and MATCH need a top-level `A.$dtId = 'id'` or `A.$dtId IN [...]` conjunct.
  Status CheckAnchored() const;

 private:
  Result<size_t> Declare(const std::optional<std::string>& alias, bool twin, bool match_node,
                         size_t offset);
  std::optional<size_t> SlotOfAlias(std::string_view alias) const;
  // One unaliased collection: paths are its document's properties, with no alias in front.
  bool BarePaths() const;
  bool IsTwinAlias(std::string_view alias) const;
  bool IsAnchor(const QueryExpr& expr) const;
  Result<ValueFunction> CompileCall(const QueryExpr& call) const;
  Result<ValueFunction> CompileIsOfModel(const QueryExpr& call) const;
  Result<ValueFunction> CompileIn(const QueryExpr& expr) const;

  const Query& query_;
  const ReferenceData& data_;
  ReferenceLayout layout_;
};

// kSqlQueryError "Query error at position N: what" (N 1-based).
Status ReferenceQueryError(size_t offset, std::string_view what);

// The string member key of a document ("" when absent or not a string): ids and names.
std::string_view StringMember(const boost::json::object& document, std::string_view key);

// "T.$metadata.$model" for error messages.
std::string JoinedPath(const QueryPath& path);

}  // namespace dtwin::query::testing
