// Compact JSON serialization with shortest round-trip doubles (std::to_chars), as ADT
// renders numbers. Stateless; thread-safe.
#include "common/json_writer.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace dtwin {

namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

// Whether any of the 8 bytes in word is '"', '\\' or a control character (SWAR tests; a
// false positive only sends the caller to its byte loop).
bool NeedsEscape(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHighBits = 0x8080808080808080ull;
  auto has_zero_byte = [](uint64_t x) { return (x - kOnes) & ~x & kHighBits; };
  const uint64_t below_space = (word - kOnes * 0x20) & ~word & kHighBits;
  return (below_space | has_zero_byte(word ^ (kOnes * '"')) |
          has_zero_byte(word ^ (kOnes * '\\'))) != 0;
}

}  // namespace

// Escapes what JSON requires ('"', '\\', control characters) and nothing else: '/', DEL
// and non-ASCII UTF-8 pass through unchanged, as ADT returns them.
void AppendJsonString(std::string_view text, std::string& out) {
  out += '"';
  size_t run_start = 0;
  const size_t size = text.size();
  for (size_t i = 0; i < size; ++i) {
    // Skip eight bytes at a time while none needs escaping (the common case).
    while (i + 8 <= size) {
      uint64_t word;
      std::memcpy(&word, text.data() + i, sizeof(word));
      if (NeedsEscape(word)) break;
      i += 8;
    }
    if (i >= size) break;
    const auto b = static_cast<unsigned char>(text[i]);
    if (b >= 0x20 && b != '"' && b != '\\') continue;
    out.append(text.data() + run_start, i - run_start);
    run_start = i + 1;
    switch (b) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHexDigits[b >> 4];
        out += kHexDigits[b & 0xF];
    }
  }
  out.append(text.data() + run_start, text.size() - run_start);
  out += '"';
}

namespace {

// Shortest text that reads back as the same double, e.g. 21.375, 1e+21, -0. An integral
// double prints without ".0" (1.0 -> "1"), as .NET's round-trip formatting does; readers
// then see an integer, which JSON does not distinguish. NaN and infinities have no JSON
// form and are written as null.
void AppendDouble(double number, std::string& out) {
  if (!std::isfinite(number)) {
    out += "null";
    return;
  }
  char buffer[32];
  // 32 bytes always hold the shortest form of a double (at most 24 characters).
  out.append(buffer, std::to_chars(buffer, buffer + sizeof(buffer), number).ptr);
}

template <typename Integer>
void AppendInteger(Integer number, std::string& out) {
  char buffer[24];
  out.append(buffer, std::to_chars(buffer, buffer + sizeof(buffer), number).ptr);
}

}  // namespace

void AppendJson(const boost::json::value& value, std::string& out) {
  switch (value.kind()) {
    case boost::json::kind::null:
      out += "null";
      return;
    case boost::json::kind::bool_:
      out += value.get_bool() ? "true" : "false";
      return;
    case boost::json::kind::int64:
      AppendInteger(value.get_int64(), out);
      return;
    case boost::json::kind::uint64:
      AppendInteger(value.get_uint64(), out);
      return;
    case boost::json::kind::double_:
      AppendDouble(value.get_double(), out);
      return;
    case boost::json::kind::string: {
      const boost::json::string& text = value.get_string();
      AppendJsonString(std::string_view(text.data(), text.size()), out);
      return;
    }
    case boost::json::kind::array:
      AppendJsonArray(value.get_array(), out);
      return;
    case boost::json::kind::object:
      AppendJsonObject(value.get_object(), out);
      return;
  }
}

void AppendJsonObject(const boost::json::object& object, std::string& out) {
  out += '{';
  bool first = true;
  for (const boost::json::key_value_pair& member : object) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(std::string_view(member.key().data(), member.key().size()), out);
    out += ':';
    AppendJson(member.value(), out);
  }
  out += '}';
}

void AppendJsonArray(const boost::json::array& array, std::string& out) {
  out += '[';
  bool first = true;
  for (const boost::json::value& element : array) {
    if (!first) out += ',';
    first = false;
    AppendJson(element, out);
  }
  out += ']';
}

std::string WriteJson(const boost::json::value& value) {
  std::string out;
  AppendJson(value, out);
  return out;
}

}  // namespace dtwin
