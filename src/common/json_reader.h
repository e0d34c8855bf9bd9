// Strict JSON reader producing boost::json values. Beyond Boost.JSON 1.81's own parser it
// rejects duplicate member names, reports line:column for every syntax error, and can
// record where each value starts (by JSON Pointer) so later semantic errors can name a
// line. Stateless functions; safe to call from any thread.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace dtwin {

// 1-based line and column (columns count bytes), plus the 0-based byte offset.
struct TextPosition {
  uint32_t line = 1;
  uint32_t column = 1;
  size_t offset = 0;
};

// Line and column of a byte offset in text (scans the text: for one lookup).
TextPosition PositionOfOffset(std::string_view text, size_t offset);

// Line starts of a text, for many offset -> line:column lookups (O(log lines) each).
// Keeps a view of the text: the text must outlive it.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  TextPosition PositionOf(size_t offset) const;

 private:
  std::string_view text_;
  std::vector<size_t> line_starts_;  // offset of the first byte of each line
};

struct JsonReadOptions {
  // Arrays and objects nested deeper than this are an error, not a stack overflow.
  uint32_t max_depth = 256;
  // Skip a leading UTF-8 byte order mark (files saved by Windows editors have one).
  bool allow_bom = true;
};

// Where each value of a document starts, keyed by its JSON Pointer ("" is the root;
// "/contents/0/name" the value of that member). For an object member the key position
// is recorded too, under the pointer followed by "#key", so errors about a member name
// can point at the name.
class JsonSourceMap {
 public:
  void Record(std::string pointer, size_t offset) { offsets_[std::move(pointer)] = offset; }

  // Offset of the value at pointer, or of its nearest recorded ancestor.
  size_t OffsetOf(std::string_view pointer) const;

  bool empty() const { return offsets_.empty(); }

 private:
  std::unordered_map<std::string, size_t> offsets_;
};

// What went wrong and where, for a text that is not JSON.
struct JsonSyntaxError {
  std::string message;  // e.g. "duplicate member name \"name\""
  TextPosition position;
};

// Parses text as one JSON document (trailing whitespace allowed, nothing else).
// Numbers: integers that fit int64 (or uint64) stay integers; others become doubles;
// a number that overflows a double is an error. Invalid UTF-8 is an error.
// On failure returns kInvalidArgument whose message ends with "at line L, column C",
// and fills *syntax_error when given. source_map, when given, is filled on success.
Result<boost::json::value> ReadJson(std::string_view text, const JsonReadOptions& options = {},
                                    JsonSourceMap* source_map = nullptr,
                                    JsonSyntaxError* syntax_error = nullptr);

}  // namespace dtwin
