// Reference evaluator bindings: see reference_bindings.h.
#include "reference_bindings.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <utility>

namespace dtwin::query::testing {
namespace {

// One walk over the fixture for one query. Not thread-safe.
class BindingWalker {
 public:
  explicit BindingWalker(const ReferenceScope& scope)
      : scope_(scope), data_(scope.data()), layout_(scope.layout()), incident_(data_.twins.size()) {
    // Relationship ends as twin indexes (kNoSlot when the twin is absent), and each twin's
    // relationships, so that walks of 10 hops stay fast; found by plain linear search.
    const auto twin_of = [this](std::string_view id) {
      for (size_t twin = 0; twin < data_.twins.size(); ++twin) {
        if (StringMember(data_.twins[twin], "$dtId") == id) return twin;
      }
      return kNoSlot;
    };
    for (size_t r = 0; r < data_.relationships.size(); ++r) {
      const size_t source = twin_of(StringMember(data_.relationships[r], "$sourceId"));
      const size_t target = twin_of(StringMember(data_.relationships[r], "$targetId"));
      source_.push_back(source);
      target_.push_back(target);
      if (source == kNoSlot || target == kNoSlot) continue;
      incident_[source].push_back(r);
      if (target != source) incident_[target].push_back(r);
    }
  }

  std::vector<Binding> Run() {
    Binding binding(layout_.slots.size(), kNoSlot);
    if (scope_.single_collection()) {
      const bool twins = layout_.slots[layout_.from].twin;
      const size_t count = twins ? data_.twins.size() : data_.relationships.size();
      for (size_t document = 0; document < count; ++document) {
        binding[layout_.from] = document;
        bindings_.push_back(binding);
      }
    } else if (layout_.from != kNoSlot) {
      for (size_t twin = 0; twin < data_.twins.size(); ++twin) {
        binding[layout_.from] = twin;
        if (scope_.query().match) {
          StartMatch(binding);
        } else {
          ExtendJoins(binding, 0);
        }
      }
    } else {
      StartMatch(binding);
    }
    return std::move(bindings_);
  }

 private:
  std::string_view NameOf(size_t relationship) const {
    return StringMember(data_.relationships[relationship], "$relationshipName");
  }

  // JOIN j onward: each outgoing relationship of the source with the JOIN's name.
  void ExtendJoins(Binding& binding, size_t j) {
    if (j == layout_.joins.size()) {
      bindings_.push_back(binding);
      return;
    }
    const ReferenceJoinSlots& slots = layout_.joins[j];
    const size_t source = binding[slots.source];
    for (size_t r : incident_[source]) {
      if (source_[r] != source || NameOf(r) != scope_.query().joins[j].relationship_name) continue;
      binding[slots.target] = target_[r];
      binding[slots.relationship] = r;
      ExtendJoins(binding, j + 1);
    }
    binding[slots.target] = binding[slots.relationship] = kNoSlot;
  }

  void StartMatch(Binding& binding) {
    for (size_t twin = 0; twin < data_.twins.size(); ++twin) {
      binding[layout_.nodes[0]] = twin;
      ExtendMatch(binding, 0);
    }
    binding[layout_.nodes[0]] = kNoSlot;
  }

  // (relationship, far twin) for each single step along MATCH edge i from twin. Cached:
  // 10-hop walks ask for the same steps many times.
  const std::vector<std::pair<size_t, size_t>>& Steps(size_t i, size_t twin) {
    const auto key = std::make_pair(i, twin);
    if (auto cached = steps_.find(key); cached != steps_.end()) return cached->second;
    const QueryMatchEdge& edge = scope_.query().match->edges[i];
    const std::vector<std::string>& names = edge.relationship_names;
    std::vector<std::pair<size_t, size_t>>& steps = steps_[key];
    for (size_t r : incident_[twin]) {
      if (!names.empty() && std::find(names.begin(), names.end(), NameOf(r)) == names.end()) {
        continue;
      }
      const bool outgoing = source_[r] == twin;
      const bool incoming = target_[r] == twin;
      if (outgoing && edge.direction != QueryEdgeDirection::kBackward) {
        steps.emplace_back(r, target_[r]);
      } else if (incoming && edge.direction != QueryEdgeDirection::kForward) {
        steps.emplace_back(r, source_[r]);  // a self-loop counts once, either way
      }
    }
    return steps;
  }

  // MATCH edge i onward; nodes[i] is bound.
  void ExtendMatch(Binding& binding, size_t i) {
    if (i == layout_.edges.size()) {
      bindings_.push_back(binding);
      return;
    }
    const size_t near = binding[layout_.nodes[i]];
    const size_t far_slot = layout_.nodes[i + 1];
    const auto bind_far = [&](size_t far) {
      const size_t previous = binding[far_slot];  // bound already when the alias repeats
      if (previous != kNoSlot && previous != far) return;
      binding[far_slot] = far;
      ExtendMatch(binding, i + 1);
      binding[far_slot] = previous;
    };
    const size_t edge_slot = layout_.edges[i];
    if (edge_slot == kNoSlot) {
      for (size_t far : Reachable(i, near)) bind_far(far);
      return;
    }
    for (const auto& [r, far] : Steps(i, near)) {
      // Single-hop edges of one row bind pairwise different relationships.
      const bool used =
          std::any_of(layout_.edges.begin(), layout_.edges.begin() + i,
                      [&](size_t slot) { return slot != kNoSlot && binding[slot] == r; });
      if (used) continue;
      binding[edge_slot] = r;
      bind_far(far);
    }
    binding[edge_slot] = kNoSlot;
  }

  // The distinct twins at the end of a path of min_hops..max_hops steps along edge i from
  // near that uses no relationship twice. Cached: it does not depend on the rest of the row.
  const std::vector<size_t>& Reachable(size_t i, size_t near) {
    const auto key = std::make_pair(i, near);
    if (auto cached = reachable_.find(key); cached != reachable_.end()) return cached->second;
    std::set<size_t> reached;
    std::vector<bool> used(data_.relationships.size(), false);
    Walk(i, near, 0, WalkEnds(i, near).size(), used, reached);
    return reachable_[key] = std::vector<size_t>(reached.begin(), reached.end());
  }

  // The ends of walks of min_hops..max_hops steps that may reuse relationships, found layer by
  // layer: a superset of Reachable(), which can stop searching once it has found them all
  // (on dense graphs the paths of 10 hops are far too many to try every one).
  std::set<size_t> WalkEnds(size_t i, size_t near) {
    const QueryMatchEdge& edge = scope_.query().match->edges[i];
    std::set<size_t> layer = {near};
    std::set<size_t> ends;
    for (int depth = 1; depth <= edge.max_hops; ++depth) {
      std::set<size_t> next;
      for (size_t twin : layer) {
        for (const auto& step : Steps(i, twin)) next.insert(step.second);
      }
      layer = std::move(next);
      if (depth >= edge.min_hops) ends.insert(layer.begin(), layer.end());
    }
    return ends;
  }

  // Depth-first over paths without a repeated relationship; true once all `possible` ends
  // are reached.
  bool Walk(size_t i, size_t twin, int depth, size_t possible, std::vector<bool>& used,
            std::set<size_t>& reached) {
    const QueryMatchEdge& edge = scope_.query().match->edges[i];
    if (depth >= edge.min_hops) reached.insert(twin);
    if (reached.size() == possible) return true;
    if (depth == edge.max_hops) return false;
    for (const auto& [r, far] : Steps(i, twin)) {
      if (used[r]) continue;
      used[r] = true;
      const bool done = Walk(i, far, depth + 1, possible, used, reached);
      used[r] = false;
      if (done) return true;
    }
    return false;
  }

  const ReferenceScope& scope_;
  const ReferenceData& data_;
  const ReferenceLayout& layout_;
  std::vector<size_t> source_;                 // per relationship: its source twin
  std::vector<size_t> target_;                 // per relationship: its target twin
  std::vector<std::vector<size_t>> incident_;  // per twin: relationships touching it
  std::map<std::pair<size_t, size_t>, std::vector<std::pair<size_t, size_t>>> steps_;
  std::map<std::pair<size_t, size_t>, std::vector<size_t>> reachable_;
  std::vector<Binding> bindings_;
};

}  // namespace

std::vector<Binding> EnumerateBindings(const ReferenceScope& scope) {
  return BindingWalker(scope).Run();
}

}  // namespace dtwin::query::testing
