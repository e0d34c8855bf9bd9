// The planner: decides where a bound query starts (twins named by a $dtId filter, the model
// index for IS_OF_MODEL, or a scan; relationships by $sourceId or a scan), the order in which
// JOIN and MATCH edges are walked from there, and after which step each WHERE conjunct can be
// checked. Also enforces ADT's rule that JOIN and MATCH need a $dtId filter. Stateless;
// thread-safe (reads the graph only for sizes).
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "graph/twin_graph.h"
#include "query/bound_query.h"

namespace dtwin::query {

enum class PlanStepKind : uint8_t {
  kTwinIds,              // twins named in values (sorted, unique)
  kTwinModels,           // twins whose model is one of values, in id order
  kTwinScan,             // every twin in id order
  kRelationshipSources,  // relationships leaving the twins named in values
  kRelationshipScan,     // every relationship, by (source id, relationship id)
  kExpand,               // walk edge from near_slot, binding its far end (and relationship)
};

struct PlanStep {
  PlanStepKind kind = PlanStepKind::kTwinScan;
  int slot = 0;  // the slot this step binds (kExpand: the far twin)
  std::vector<std::string> values;
  // kExpand only.
  int edge = -1;
  int near_slot = -1;
  bool near_is_source = true;  // walk outgoing relationships (else incoming); see either_direction
  bool far_bound = false;      // the far slot was bound earlier: the walk must arrive at it
  // Conjuncts that can be checked once this step has bound its slots.
  std::vector<const BoundExpr*> filters;
};

struct QueryPlan {
  std::vector<PlanStep> steps;
};

// kSqlQueryError when a JOIN or MATCH has no $dtId filter and unanchored traversals are not
// allowed.
Result<QueryPlan> PlanQuery(const BoundQuery& query, const graph::TwinGraph& graph,
                            bool allow_unanchored_traversals);

}  // namespace dtwin::query
