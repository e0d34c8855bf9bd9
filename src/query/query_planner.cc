// The planner (see query_planner.h). Costs are simple counts: a $dtId list names a few twins,
// the model index as many as those models have, a scan all of them.
#include "query/query_planner.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>

#include "query/query_binder.h"

namespace dtwin::query {
namespace {

PlanStep MakeStep(PlanStepKind kind, int slot, std::vector<std::string> values = {}) {
  PlanStep step;
  step.kind = kind;
  step.slot = slot;
  step.values = std::move(values);
  return step;
}

// The string values a conjunct restricts slot's system field to: `field = 'x'` (either way
// round) or `field IN ['x', ...]`; nullopt when the conjunct is not of that form.
std::optional<std::vector<std::string>> FieldValues(const BoundExpr& conjunct,
                                                    std::string_view field, int* slot) {
  auto is_field = [&](const BoundExpr& expr) {
    return expr.kind == BoundExprKind::kPath && expr.path.segments.size() == 1 &&
           expr.path.segments[0] == field;
  };
  std::vector<std::string> values;
  if (conjunct.kind == BoundExprKind::kCompare && conjunct.op == QueryCompareOp::kEq) {
    const BoundExpr& left = *conjunct.children[0];
    const BoundExpr& right = *conjunct.children[1];
    const BoundExpr* path = is_field(left) ? &left : (is_field(right) ? &right : nullptr);
    const BoundExpr* literal = path == &left ? &right : &left;
    if (path == nullptr || literal->kind != BoundExprKind::kLiteral) return std::nullopt;
    if (!literal->literal.is_string()) return std::nullopt;
    values.emplace_back(literal->literal.get_string());
    *slot = path->path.slot;
    return values;
  }
  if (conjunct.kind == BoundExprKind::kIn && is_field(*conjunct.children[0])) {
    for (const boost::json::value& item : conjunct.list) {
      if (!item.is_string()) return std::nullopt;  // ids are strings: not a lookup
      values.emplace_back(item.get_string());
    }
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    *slot = conjunct.children[0]->path.slot;
    return values;
  }
  return std::nullopt;
}

// The cheapest first step for the twins of slot, from the conjuncts; nullopt = scan.
std::optional<PlanStep> BestTwinStart(const BoundQuery& query, const graph::TwinGraph& graph,
                                      int slot) {
  std::optional<PlanStep> best;
  size_t best_cost = std::numeric_limits<size_t>::max();
  for (const BoundExprPtr& conjunct : query.conjuncts) {
    int field_slot = -1;
    std::optional<std::vector<std::string>> ids = FieldValues(*conjunct, "$dtId", &field_slot);
    if (ids && field_slot == slot && ids->size() < best_cost) {
      best_cost = ids->size();
      best = MakeStep(PlanStepKind::kTwinIds, slot, std::move(*ids));
    }
    if (conjunct->kind == BoundExprKind::kIsOfModel && conjunct->path.slot == slot) {
      size_t cost = 0;
      for (const std::string& model : conjunct->models) cost += graph.TwinCountOfModel(model);
      if (cost < best_cost) {
        best_cost = cost;
        best = MakeStep(PlanStepKind::kTwinModels, slot, conjunct->models);
      }
    }
  }
  return best;
}

// The twin slot a $dtId filter names with the fewest ids (ADT's anchor), or -1.
int AnchoredSlot(const BoundQuery& query) {
  int anchor = -1;
  size_t fewest = std::numeric_limits<size_t>::max();
  for (const BoundExprPtr& conjunct : query.conjuncts) {
    int slot = -1;
    std::optional<std::vector<std::string>> ids = FieldValues(*conjunct, "$dtId", &slot);
    if (ids && query.slots[slot].kind == SlotKind::kTwin && ids->size() < fewest) {
      fewest = ids->size();
      anchor = slot;
    }
  }
  return anchor;
}

PlanStep FirstStep(const BoundQuery& query, const graph::TwinGraph& graph, int slot) {
  if (query.slots[slot].kind == SlotKind::kRelationship) {
    for (const BoundExprPtr& conjunct : query.conjuncts) {
      int field_slot = -1;
      std::optional<std::vector<std::string>> sources =
          FieldValues(*conjunct, "$sourceId", &field_slot);
      if (sources) {
        return MakeStep(PlanStepKind::kRelationshipSources, slot, std::move(*sources));
      }
    }
    return MakeStep(PlanStepKind::kRelationshipScan, slot);
  }
  std::optional<PlanStep> start = BestTwinStart(query, graph, slot);
  return start ? std::move(*start) : MakeStep(PlanStepKind::kTwinScan, slot);
}

// Adds the walk over the pattern's edges from the start slot, breadth first in declaration
// order, so every slot is bound once.
void PlanEdges(const BoundQuery& query, uint64_t bound, QueryPlan* plan) {
  std::vector<bool> walked(query.edges.size(), false);
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t e = 0; e < query.edges.size(); ++e) {
      const BoundEdge& edge = query.edges[e];
      const bool source_bound = (bound >> edge.source_slot) & 1;
      const bool target_bound = (bound >> edge.target_slot) & 1;
      if (walked[e] || (!source_bound && !target_bound)) continue;
      PlanStep step = MakeStep(PlanStepKind::kExpand, 0);
      step.edge = static_cast<int>(e);
      step.near_is_source = source_bound;
      step.near_slot = source_bound ? edge.source_slot : edge.target_slot;
      step.slot = source_bound ? edge.target_slot : edge.source_slot;
      step.far_bound = (bound >> step.slot) & 1;
      bound |= uint64_t{1} << step.slot;
      if (edge.relationship_slot >= 0) bound |= uint64_t{1} << edge.relationship_slot;
      plan->steps.push_back(std::move(step));
      walked[e] = true;
      progress = true;
    }
  }
}

// Puts each conjunct on the first step after which every slot it reads is bound.
void PlaceFilters(const BoundQuery& query, QueryPlan* plan) {
  uint64_t bound = 0;
  std::vector<bool> placed(query.conjuncts.size(), false);
  for (PlanStep& step : plan->steps) {
    bound |= uint64_t{1} << step.slot;
    if (step.kind == PlanStepKind::kExpand) {
      const int relationship = query.edges[step.edge].relationship_slot;
      if (relationship >= 0) bound |= uint64_t{1} << relationship;
    }
    for (size_t c = 0; c < query.conjuncts.size(); ++c) {
      if (!placed[c] && (query.conjuncts[c]->slots & ~bound) == 0) {
        step.filters.push_back(query.conjuncts[c].get());
        placed[c] = true;
      }
    }
  }
}

}  // namespace

Result<QueryPlan> PlanQuery(const BoundQuery& query, const graph::TwinGraph& graph,
                            bool allow_unanchored_traversals) {
  int start = 0;
  if (query.traversal) {
    start = AnchoredSlot(query);
    if (start < 0 && !allow_unanchored_traversals) {
      return QueryMeaningError(0,
                               "a query with JOIN or MATCH must filter one of its twins by "
                               "$dtId (e.g. WHERE T.$dtId = 'id' or T.$dtId IN ['a', 'b']) "
                               "as a condition joined to the rest with AND");
    }
    start = std::max(start, 0);
  }
  QueryPlan plan;
  plan.steps.push_back(FirstStep(query, graph, start));
  PlanEdges(query, uint64_t{1} << start, &plan);
  PlaceFilters(query, &plan);
  return plan;
}

}  // namespace dtwin::query
