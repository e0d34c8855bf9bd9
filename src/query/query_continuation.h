// Query continuation tokens: everything the next page needs, carried by the client (the
// server keeps no cursor): the query text, how many rows earlier pages returned (for TOP),
// and the position of the last row returned — its sort values, if the query is ordered, and
// its row key (the ids it bound, step by step). The next page resumes strictly after that
// position in the same total order, so a row that exists throughout is returned exactly once
// however the graph changes between pages. Stateless; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace dtwin::query {

// One step's part of a row key: (twin id, "") or (relationship source id, relationship id).
using RowKeyPart = std::pair<std::string, std::string>;

struct QueryContinuation {
  std::string query_text;
  int64_t returned = 0;
  std::vector<RowKeyPart> row_key;
  // ORDER BY / group values of the last row; nullopt is undefined.
  std::vector<std::optional<boost::json::value>> sort_values;
};

// Base64url of a small JSON document.
std::string EncodeQueryContinuation(const QueryContinuation& continuation);

// kBadRequest when token was not made by EncodeQueryContinuation.
Result<QueryContinuation> DecodeQueryContinuation(std::string_view token);

}  // namespace dtwin::query
