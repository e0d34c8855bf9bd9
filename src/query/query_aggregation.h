// Aggregates (COUNT, SUM, AVG, MIN, MAX) and GROUP BY: folds matching bindings into one
// accumulator set per group, then renders one row per group in output order. Not
// thread-safe (one per executing query).
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <vector>

#include "query/bound_query.h"
#include "query/query_evaluator.h"
#include "query/query_value.h"

namespace dtwin::query {

struct GroupRow {
  boost::json::object row;
  // Where the row sorts: its ORDER BY values, then its group key values.
  std::vector<QueryValue> position;
};

// <0, 0, >0: positions in output order (ORDER BY keys in their directions, then group keys
// ascending).
int CompareGroupPositions(const BoundQuery& query, const std::vector<QueryValue>& a,
                          const std::vector<QueryValue>& b);

class Aggregator {
 public:
  explicit Aggregator(const BoundQuery& query);

  void Add(const Bindings& bindings);

  // One row per group (exactly one without GROUP BY), in output order.
  std::vector<GroupRow> Finish() const;

 private:
  struct Accumulator {
    int64_t count = 0;  // rows (COUNT) or numeric values (SUM, AVG)
    double sum = 0;
    int64_t integer_sum = 0;
    bool integral = true;  // every value so far an int64, and integer_sum has not overflowed
    QueryValue best;       // MIN / MAX so far (owned)
  };
  struct KeyLess {
    bool operator()(const std::vector<QueryValue>& a, const std::vector<QueryValue>& b) const;
  };

  void Accumulate(const BoundColumn& column, const Bindings& bindings, Accumulator& into) const;
  boost::json::object RenderGroup(const std::vector<QueryValue>& key,
                                  const std::vector<Accumulator>& accumulators) const;

  const BoundQuery& query_;
  std::map<std::vector<QueryValue>, std::vector<Accumulator>, KeyLess> groups_;
};

}  // namespace dtwin::query
