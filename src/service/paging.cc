// Continuation tokens: base64url of the JSON array [listing, key...]. Opaque to clients,
// checked strictly when they come back.
#include "service/paging.h"

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <cstdint>

#include "common/json_reader.h"
#include "common/json_writer.h"

namespace dtwin::service {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 0x3F];
  return out;
}

// False when text holds a character outside the alphabet (no padding is written).
bool Base64UrlDecode(std::string_view text, std::string& out) {
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const size_t index = kAlphabet.find(c);
    if (index == std::string_view::npos) return false;
    buffer = (buffer << 6) | static_cast<uint32_t>(index);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return true;
}

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
