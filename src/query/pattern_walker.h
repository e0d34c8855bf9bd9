// Enumerates the bindings of a planned query that satisfy its WHERE clause, in row-key order:
// each plan step offers its candidates sorted by their key part (twin id, or relationship
// (source id, id)), so the sequence of key parts of a row orders all rows, and a walk can
// resume strictly after any row key. Not thread-safe (one per executing query); the graph
// must stay locked while it walks.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "graph/twin_graph.h"
#include "query/bound_query.h"
#include "query/query_continuation.h"
#include "query/query_evaluator.h"
#include "query/query_planner.h"

namespace dtwin::query {

// A row key part that views the graph's strings (valid while the graph is locked).
using RowKeyView = std::pair<std::string_view, std::string_view>;

class PatternWalker {
 public:
  PatternWalker(const graph::TwinGraph& graph, const BoundQuery& query, const QueryPlan& plan,
                std::chrono::steady_clock::time_point deadline);

  // Calls on_row with each matching binding, in row-key order, starting strictly after
  // `after` when it is given (a key of plan.steps.size() parts), until on_row returns false.
  // kTimeoutError when the deadline passes first.
  Status Walk(const std::vector<RowKeyPart>* after,
              const std::function<bool(const Bindings&)>& on_row);

  // The row key of a binding this walker produced.
  std::vector<RowKeyView> KeyOf(const Bindings& bindings) const;

  // Candidates looked at so far (twins and relationships): the basis of the query charge.
  size_t examined() const { return examined_; }

 private:
  bool Descend(size_t depth, bool on_path);
  bool Offer(size_t depth, bool on_path, RowKeyView key);
  bool StartTwins(size_t depth, bool on_path);
  bool StartRelationships(size_t depth, bool on_path);
  bool ExpandSingleHop(size_t depth, bool on_path);
  bool ExpandHops(size_t depth, bool on_path);
  bool BindFar(const PlanStep& step, const graph::Twin* twin);
  bool RelationshipInUse(const graph::Relationship* relationship, int own_slot) const;
  bool TimedOut();

  const graph::TwinGraph& graph_;
  const BoundQuery& query_;
  const QueryPlan& plan_;
  const std::chrono::steady_clock::time_point deadline_;
  Bindings bindings_;
  const std::vector<RowKeyPart>* after_ = nullptr;
  const std::function<bool(const Bindings&)>* on_row_ = nullptr;
  size_t examined_ = 0;
  bool timed_out_ = false;
};

}  // namespace dtwin::query
