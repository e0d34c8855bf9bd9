// Continuation tokens: base64url of the JSON array [listing, key...]. Opaque to clients,
// checked strictly when they come back.
#include "service/paging.h"

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "common/base64url.h"
#include "common/json_reader.h"
#include "common/json_writer.h"

namespace dtwin::service {

namespace {

Status InvalidToken() {
  return Status(ErrorCode::kBadRequest,
                "The continuation token is not valid for this listing: pass the token of the "
                "previous page unchanged, or list again from the start without one.");
}

}  // namespace

std::string EncodeContinuation(std::string_view listing, const PageKey& key) {
  boost::json::array array;
  array.reserve(key.size() + 1);
  array.emplace_back(listing);
  for (const std::string& part : key) array.emplace_back(part);
  return Base64UrlEncode(WriteJson(array));
}

Result<PageKey> DecodeContinuation(std::string_view listing, std::string_view token,
                                   size_t key_size) {
  std::string json;
  if (!Base64UrlDecode(token, json)) return InvalidToken();
  Result<boost::json::value> parsed = ReadJson(json);
  if (!parsed.ok() || !parsed->is_array()) return InvalidToken();
  const boost::json::array& array = parsed->get_array();
  if (array.size() != key_size + 1 || !array[0].is_string() || array[0].get_string() != listing) {
    return InvalidToken();
  }
  PageKey key;
  key.reserve(key_size);
  for (size_t i = 1; i < array.size(); ++i) {
    if (!array[i].is_string()) return InvalidToken();
    key.emplace_back(array[i].get_string());
  }
  return key;
}

size_t PageSizeOf(const PageRequest& request, const ServiceOptions& options) {
  const size_t requested = request.max_items == 0 ? options.default_page_size : request.max_items;
  return std::max<size_t>(1, std::min(requested, options.max_page_size));
}

}  // namespace dtwin::service
