// A deliberately simple reference evaluator for the query language: nested loops over plain
// twin and relationship documents, written from docs/query.md and independent of the engine
// (it shares only the parser), so the query corpus can check the engine against it.
// Stateless; thread-safe as long as model_and_descendants is.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dtwin::query::testing {

struct ReferenceData {
  std::vector<boost::json::object> twins;          // full ADT twin documents (as GET returns them)
  std::vector<boost::json::object> relationships;  // full relationship documents
  // A model id and every model extending it directly or indirectly (for IS_OF_MODEL without
  // `exact`); when empty, a model has no descendants.
  std::function<std::vector<std::string>(std::string_view)> model_and_descendants;
  bool allow_unanchored_traversals = false;
};

struct ReferenceResult {
  std::vector<boost::json::object> rows;  // TOP not applied; ORDER BY / GROUP BY order applied
  bool ordered = false;                   // true when the query has ORDER BY or GROUP BY
  std::optional<int64_t> top;             // the query's TOP(n), for the caller to apply
};

// The rows of a query over data, or the parser's error, or kSqlQueryError for a semantic
// error (unknown alias, bad function call, missing $dtId anchor, ...).
Result<ReferenceResult> ReferenceEvaluate(std::string_view text, const ReferenceData& data);

}  // namespace dtwin::query::testing
