// Query continuation tokens: base64url of {"t":"query/1","q":text,"n":returned,"k":[[a,b]...],
// "s":[[value] or [] ...]}, checked strictly when they come back.
#include "query/query_continuation.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "common/base64url.h"
#include "common/json_reader.h"
#include "common/json_writer.h"

namespace dtwin::query {
namespace {

namespace json = boost::json;

constexpr std::string_view kTag = "query/1";
// Rows returned so far: far beyond any real count, and small enough that adding a page to it
// can never overflow.
constexpr int64_t kMaxReturned = int64_t{1} << 53;

Status InvalidToken(std::string_view why) {
  return Status(ErrorCode::kBadRequest,
                "The continuation token is not valid (" + std::string(why) +
                    "): pass the continuationToken of the previous page unchanged, or run the "
                    "query again without one.");
}

}  // namespace

std::string EncodeQueryContinuation(const QueryContinuation& continuation) {
  json::array key;
  for (const RowKeyPart& part : continuation.row_key) {
    key.push_back(json::array{json::string(part.first), json::string(part.second)});
  }
  json::array sort;
  for (const std::optional<json::value>& value : continuation.sort_values) {
    sort.push_back(value ? json::array{*value} : json::array{});
  }
  json::object token{{"t", kTag},
                     {"q", continuation.query_text},
                     {"n", continuation.returned},
                     {"k", std::move(key)},
                     {"s", std::move(sort)}};
  return Base64UrlEncode(WriteJson(token));
}

Result<QueryContinuation> DecodeQueryContinuation(std::string_view token) {
  std::string text;
  if (!Base64UrlDecode(token, text)) return InvalidToken("not base64url");
  Result<json::value> parsed = ReadJson(text);
  if (!parsed.ok() || !parsed->is_object()) return InvalidToken("not a token of this server");
  const json::object& object = parsed->get_object();
  const json::value* tag = object.if_contains("t");
  const json::value* query = object.if_contains("q");
  const json::value* returned = object.if_contains("n");
  const json::value* key = object.if_contains("k");
  const json::value* sort = object.if_contains("s");
  if (tag == nullptr || !tag->is_string() || tag->get_string() != kTag || query == nullptr ||
      !query->is_string() || returned == nullptr || !returned->is_int64() ||
      returned->get_int64() < 0 || returned->get_int64() > kMaxReturned || key == nullptr ||
      !key->is_array() || sort == nullptr || !sort->is_array()) {
    return InvalidToken("not a token of this server");
  }
  QueryContinuation continuation;
  continuation.query_text = query->get_string();
  continuation.returned = returned->get_int64();
  for (const json::value& part : key->get_array()) {
    if (!part.is_array() || part.get_array().size() != 2 || !part.get_array()[0].is_string() ||
        !part.get_array()[1].is_string()) {
      return InvalidToken("malformed row key");
    }
    continuation.row_key.emplace_back(part.get_array()[0].get_string(),
                                      part.get_array()[1].get_string());
  }
  for (const json::value& value : sort->get_array()) {
    if (!value.is_array() || value.get_array().size() > 1) {
      return InvalidToken("malformed sort values");
    }
    continuation.sort_values.push_back(value.get_array().empty()
                                           ? std::nullopt
                                           : std::optional<json::value>(value.get_array()[0]));
  }
  return continuation;
}

}  // namespace dtwin::query
