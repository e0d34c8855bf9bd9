// The pattern walker (see pattern_walker.h): depth-first over the plan's steps, each offering
// its candidates in key order and pruning with the step's filters.
#include "query/pattern_walker.h"

#include <algorithm>
#include <tuple>

namespace dtwin::query {
namespace {

// Clock reads are cheap but not free: look every this many candidates.
constexpr size_t kDeadlineCheckInterval = 1024;

int CompareKey(RowKeyView a, const RowKeyPart& b) {
  if (const int first = a.first.compare(b.first); first != 0) return first;
  return a.second.compare(b.second);
}

// A relationship next to a twin, and whether the twin is its source (walked outgoing).
struct Neighbor {
  const graph::Relationship* relationship;
  bool outgoing;
};

// The relationships an edge may follow from twin_id, sorted by (source id, id): outgoing ones
// when twin is on the edge's source side, incoming ones on its target side, or both.
std::vector<Neighbor> NeighborsOf(const graph::TwinGraph& graph, const BoundEdge& edge,
                                  std::string_view twin_id, bool near_is_source) {
  std::vector<Neighbor> neighbors;
  auto allowed = [&](const graph::Relationship* relationship) {
    return edge.names.empty() ||
           std::find(edge.names.begin(), edge.names.end(), relationship->name) != edge.names.end();
  };
  if (edge.either_direction || near_is_source) {
    for (const graph::Relationship* relationship : graph.Outgoing(twin_id)) {
      if (allowed(relationship)) neighbors.push_back({relationship, true});
    }
  }
  if (edge.either_direction || !near_is_source) {
    for (const graph::Relationship* relationship : graph.Incoming(twin_id)) {
      // A relationship from the twin to itself is already among the outgoing ones.
      if (edge.either_direction && relationship->source_id == twin_id) continue;
      if (allowed(relationship)) neighbors.push_back({relationship, false});
    }
  }
  if (edge.either_direction) {
    std::sort(neighbors.begin(), neighbors.end(), [](const Neighbor& a, const Neighbor& b) {
      return std::tie(a.relationship->source_id, a.relationship->id) <
             std::tie(b.relationship->source_id, b.relationship->id);
    });
  }
  return neighbors;
}

const std::string& FarEnd(const Neighbor& neighbor) {
  return neighbor.outgoing ? neighbor.relationship->target_id : neighbor.relationship->source_id;
}

}  // namespace

PatternWalker::PatternWalker(const graph::TwinGraph& graph, const BoundQuery& query,
                             const QueryPlan& plan, std::chrono::steady_clock::time_point deadline)
    : graph_(graph),
      query_(query),
      plan_(plan),
      deadline_(deadline),
      bindings_(query.slots.size()) {}

Status PatternWalker::Walk(const std::vector<RowKeyPart>* after,
                           const std::function<bool(const Bindings&)>& on_row) {
  after_ = after;
  on_row_ = &on_row;
  Descend(0, after != nullptr);
  if (timed_out_) {
    return Status(ErrorCode::kTimeoutError,
                  "The query ran out of time. Narrow it with a $dtId or IS_OF_MODEL filter, "
                  "fewer hops, or a smaller page (max-items-per-page).");
  }
  return Status::Ok();
}

std::vector<RowKeyView> PatternWalker::KeyOf(const Bindings& bindings) const {
  std::vector<RowKeyView> key;
  key.reserve(plan_.steps.size());
  for (const PlanStep& step : plan_.steps) {
    const graph::Relationship* relationship = nullptr;
    if (step.kind == PlanStepKind::kRelationshipSources ||
        step.kind == PlanStepKind::kRelationshipScan) {
      relationship = bindings[step.slot].relationship;
    } else if (step.kind == PlanStepKind::kExpand) {
      const int slot = query_.edges[step.edge].relationship_slot;
      if (slot >= 0) relationship = bindings[slot].relationship;
    }
    if (relationship != nullptr) {
      key.emplace_back(relationship->source_id, relationship->id);
    } else {
      key.emplace_back(bindings[step.slot].twin->id, std::string_view());
    }
  }
  return key;
}

bool PatternWalker::TimedOut() {
  if (!timed_out_ && std::chrono::steady_clock::now() > deadline_) timed_out_ = true;
  return timed_out_;
}

bool PatternWalker::Descend(size_t depth, bool on_path) {
  if (depth == plan_.steps.size()) {
    // Still on the resume path: this is the row the previous page ended with.
    return on_path || (*on_row_)(bindings_);
  }
  const PlanStep& step = plan_.steps[depth];
  switch (step.kind) {
    case PlanStepKind::kTwinIds:
    case PlanStepKind::kTwinModels:
    case PlanStepKind::kTwinScan:
      return StartTwins(depth, on_path);
    case PlanStepKind::kRelationshipSources:
    case PlanStepKind::kRelationshipScan:
      return StartRelationships(depth, on_path);
    case PlanStepKind::kExpand:
      return query_.edges[step.edge].max_hops == 1 ? ExpandSingleHop(depth, on_path)
                                                   : ExpandHops(depth, on_path);
  }
  return false;
}

bool PatternWalker::Offer(size_t depth, bool on_path, RowKeyView key) {
  if (++examined_ % kDeadlineCheckInterval == 0 && TimedOut()) return false;
  const int order = on_path ? CompareKey(key, (*after_)[depth]) : 1;
  if (order < 0) return true;  // returned by an earlier page
  for (const BoundExpr* filter : plan_.steps[depth].filters) {
    if (!Evaluate(*filter, bindings_).IsTrue()) return true;
  }
  return Descend(depth + 1, order == 0);
}

bool PatternWalker::StartTwins(size_t depth, bool on_path) {
  const PlanStep& step = plan_.steps[depth];
  const std::string_view from = on_path ? std::string_view((*after_)[depth].first) : "";
  bool keep_going = true;
  auto visit = [&](const graph::Twin& twin) {
    bindings_[step.slot].twin = &twin;
    keep_going = Offer(depth, on_path, {twin.id, {}});
    return keep_going;
  };
  if (step.kind == PlanStepKind::kTwinIds) {
    for (const std::string& id : step.values) {
      const graph::Twin* twin = id < from ? nullptr : graph_.FindTwin(id);
      if (twin != nullptr && !visit(*twin)) break;
    }
  } else if (step.kind == PlanStepKind::kTwinModels) {
    graph_.ScanTwinsOfModels(step.values, from, visit);
  } else {
    graph_.ScanTwins(from, visit);
  }
  bindings_[step.slot].twin = nullptr;
  return keep_going;
}

bool PatternWalker::StartRelationships(size_t depth, bool on_path) {
  const PlanStep& step = plan_.steps[depth];
  const std::string_view from = on_path ? std::string_view((*after_)[depth].first) : "";
  bool keep_going = true;
  auto visit_source = [&](std::string_view source_id) {
    for (const graph::Relationship* relationship : graph_.Outgoing(source_id)) {
      bindings_[step.slot].relationship = relationship;
      keep_going = Offer(depth, on_path, {relationship->source_id, relationship->id});
      if (!keep_going) break;
    }
    return keep_going;
  };
  if (step.kind == PlanStepKind::kRelationshipSources) {
    for (const std::string& source_id : step.values) {
      if (source_id >= from && !visit_source(source_id)) break;
    }
  } else {
    graph_.ScanTwins(from, [&](const graph::Twin& twin) { return visit_source(twin.id); });
  }
  bindings_[step.slot].relationship = nullptr;
  return keep_going;
}

bool PatternWalker::BindFar(const PlanStep& step, const graph::Twin* twin) {
  if (step.far_bound) return bindings_[step.slot].twin == twin;
  bindings_[step.slot].twin = twin;
  return twin != nullptr;
}

bool PatternWalker::RelationshipInUse(const graph::Relationship* relationship, int own_slot) const {
  for (const BoundEdge& edge : query_.edges) {
    const int slot = edge.relationship_slot;
    if (slot >= 0 && slot != own_slot && bindings_[slot].relationship == relationship) return true;
  }
  return false;
}

bool PatternWalker::ExpandSingleHop(size_t depth, bool on_path) {
  const PlanStep& step = plan_.steps[depth];
  const BoundEdge& edge = query_.edges[step.edge];
  const graph::Twin& near = *bindings_[step.near_slot].twin;
  bool keep_going = true;
  for (const Neighbor& neighbor : NeighborsOf(graph_, edge, near.id, step.near_is_source)) {
    const graph::Relationship* relationship = neighbor.relationship;
    if (query_.distinct_relationships && RelationshipInUse(relationship, edge.relationship_slot)) {
      continue;
    }
    if (!BindFar(step, graph_.FindTwin(FarEnd(neighbor)))) continue;
    bindings_[edge.relationship_slot].relationship = relationship;
    keep_going = Offer(depth, on_path, {relationship->source_id, relationship->id});
    if (!keep_going) break;
  }
  bindings_[edge.relationship_slot].relationship = nullptr;
  if (!step.far_bound) bindings_[step.slot].twin = nullptr;
  return keep_going;
}

bool PatternWalker::ExpandHops(size_t depth, bool on_path) {
  const PlanStep& step = plan_.steps[depth];
  const BoundEdge& edge = query_.edges[step.edge];
  // Every twin at the end of a path of min..max hops that uses no relationship twice.
  std::vector<const graph::Twin*> reached;
  std::vector<const graph::Relationship*> path;
  std::function<void(const graph::Twin&)> walk = [&](const graph::Twin& twin) {
    if (static_cast<int>(path.size()) >= edge.min_hops) reached.push_back(&twin);
    if (static_cast<int>(path.size()) == edge.max_hops || timed_out_) return;
    for (const Neighbor& neighbor : NeighborsOf(graph_, edge, twin.id, step.near_is_source)) {
      if (++examined_ % kDeadlineCheckInterval == 0 && TimedOut()) return;
      if (std::find(path.begin(), path.end(), neighbor.relationship) != path.end()) continue;
      const graph::Twin* next = graph_.FindTwin(FarEnd(neighbor));
      if (next == nullptr) continue;
      path.push_back(neighbor.relationship);
      walk(*next);
      path.pop_back();
    }
  };
  walk(*bindings_[step.near_slot].twin);
  if (timed_out_) return false;
  std::sort(reached.begin(), reached.end(),
            [](const graph::Twin* a, const graph::Twin* b) { return a->id < b->id; });
  reached.erase(std::unique(reached.begin(), reached.end()), reached.end());
  bool keep_going = true;
  for (const graph::Twin* twin : reached) {
    if (!BindFar(step, twin)) continue;
    keep_going = Offer(depth, on_path, {twin->id, {}});
    if (!keep_going) break;
  }
  if (!step.far_bound) bindings_[step.slot].twin = nullptr;
  return keep_going;
}

}  // namespace dtwin::query
