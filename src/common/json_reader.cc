// Strict JSON reader: an iterative parser (explicit stacks, so nesting depth is a reported
// error, never a stack overflow) that builds boost::json values directly. Thread-safe: the
// only shared state is per-thread scratch memory.
#include "common/json_reader.h"

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <utility>
#include <vector>

#include "common/json_pointer.h"
#include "common/json_writer.h"

namespace dtwin {

namespace {

// A name as an error message shows it: JSON-quoted (so control characters are escaped) and
// cut to 64 bytes at a UTF-8 boundary, since the text is the caller's and may be huge.
std::string QuotedForMessage(std::string_view name) {
  constexpr size_t kMaxShown = 64;
  std::string quoted;
  if (name.size() <= kMaxShown) {
    AppendJsonString(name, quoted);
    return quoted;
  }
  size_t cut = kMaxShown;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  AppendJsonString(name.substr(0, cut), quoted);
  return quoted + " (cut; " + std::to_string(name.size()) + " bytes)";
}

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kKeySuffix = "#key";

bool IsWhitespace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

void AppendUtf8(uint32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

// Length of the well-formed UTF-8 sequence starting at text[pos] (a byte >= 0x80), or 0.
// Follows Unicode table 3-7: rejects overlong forms, UTF-16 surrogates and code points
// above U+10FFFF.
size_t Utf8SequenceLength(std::string_view text, size_t pos) {
  auto byte = [&](size_t i) -> unsigned {
    return pos + i < text.size() ? static_cast<unsigned char>(text[pos + i]) : 0x100;
  };
  auto in = [](unsigned b, unsigned lo, unsigned hi) { return b >= lo && b <= hi; };
  const unsigned lead = byte(0);
  if (in(lead, 0xC2, 0xDF)) return in(byte(1), 0x80, 0xBF) ? 2 : 0;
  if (in(lead, 0xE0, 0xEF)) {
    const unsigned lo = lead == 0xE0 ? 0xA0 : 0x80;
    const unsigned hi = lead == 0xED ? 0x9F : 0xBF;
    return in(byte(1), lo, hi) && in(byte(2), 0x80, 0xBF) ? 3 : 0;
  }
  if (in(lead, 0xF0, 0xF4)) {
    const unsigned lo = lead == 0xF0 ? 0x90 : 0x80;
    const unsigned hi = lead == 0xF4 ? 0x8F : 0xBF;
    return in(byte(1), lo, hi) && in(byte(2), 0x80, 0xBF) && in(byte(3), 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

// Bytes a string can hold as they are: everything but '"', '\\', controls and non-ASCII.
constexpr auto kPlainStringByte = [] {
  std::array<bool, 256> plain{};
  for (int b = 0x20; b < 0x80; ++b) plain[b] = b != '"' && b != '\\';
  return plain;
}();

// Whether any of the 8 bytes in word is '"', '\\', a control character or non-ASCII
// (classic SWAR tests; a false positive only sends the caller to its byte loop).
bool HasSpecialStringByte(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHighBits = 0x8080808080808080ull;
  auto has_zero_byte = [](uint64_t x) { return (x - kOnes) & ~x & kHighBits; };
  const uint64_t below_space = (word - kOnes * 0x20) & ~word & kHighBits;
  return (below_space | has_zero_byte(word ^ (kOnes * '"')) | has_zero_byte(word ^ (kOnes * '\\')) |
          (word & kHighBits)) != 0;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "'x'" for a printable ASCII byte, "byte 0xC3" otherwise, for error messages.
std::string DescribeByte(char c) {
  const auto b = static_cast<unsigned char>(c);
  if (b >= 0x21 && b < 0x7F) return std::string("character '") + c + "'";
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "byte 0x%02X", b);
  return buffer;
}

// One parse of one text. Single use; not shared between threads.
class Reader {
 public:
  Reader(std::string_view text, const JsonReadOptions& options, JsonSourceMap* source_map)
      : text_(text),
        options_(options),
        source_map_(source_map),
        buffers_(ThreadBuffers()),
        frames_(buffers_.frames),
        values_(buffers_.values),
        keys_(buffers_.keys),
        key_arena_(buffers_.key_arena),
        scratch_(buffers_.scratch) {}
  ~Reader() { buffers_.Reset(); }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // The document, or false with error_ and error_offset_ set.
  bool Parse(boost::json::value& result);

  const std::string& error() const { return error_; }
  size_t error_offset() const { return error_offset_; }

 private:
  // An open array or object. Its elements (and member names) wait on values_ (and keys_)
  // until it closes; it is then built in one go at its final size, which avoids regrowing
  // and rehashing boost::json containers member by member, and needs no recursion.
  // Duplicate member names are therefore found when their object closes (a syntax error
  // later inside the same object is reported first).
  struct Frame {
    bool is_object = false;
    size_t values_begin = 0;  // first pending value of this container in values_
    size_t keys_begin = 0;    // objects: first pending member name in keys_
    size_t pointer_size = 0;  // source map: length of this container's pointer
    size_t next_index = 0;    // arrays: index of the element being read
  };
  // A member name: a view into text_ when it had no escapes, else a range of key_arena_
  // (kept as offsets because the arena may reallocate).
  struct PendingKey {
    size_t begin = 0;
    size_t size = 0;
    bool in_arena = false;
    size_t offset = 0;  // of the opening quote, for the duplicate-name error
  };

  // Work stacks, kept per thread so that parsing a small body allocates only what the
  // result needs. ReadJson never re-enters itself, so one set per thread suffices.
  struct Buffers {
    std::vector<Frame> frames;               // open containers, innermost last
    std::vector<boost::json::value> values;  // completed values awaiting their container
    std::vector<PendingKey> keys;            // member names awaiting their object
    std::string key_arena;                   // unescaped member names
    std::string scratch;                     // the string being unescaped

    // Empties the stacks (a failed parse leaves values behind), and frees them after an
    // unusually large document so that a thread does not hold on to its memory.
    void Reset() {
      constexpr size_t kRetainedEntries = 1024;
      constexpr size_t kRetainedBytes = 64 * 1024;
      if (values.capacity() > kRetainedEntries) {
        std::vector<boost::json::value>().swap(values);
      }
      if (keys.capacity() > kRetainedEntries) std::vector<PendingKey>().swap(keys);
      if (frames.capacity() > kRetainedEntries) std::vector<Frame>().swap(frames);
      if (key_arena.capacity() > kRetainedBytes) std::string().swap(key_arena);
      if (scratch.capacity() > kRetainedBytes) std::string().swap(scratch);
      values.clear();
      keys.clear();
      frames.clear();
      key_arena.clear();
      scratch.clear();
    }
  };

  static Buffers& ThreadBuffers() {
    thread_local Buffers buffers;
    return buffers;
  }

  bool Fail(size_t offset, std::string message) {
    error_ = std::move(message);
    error_offset_ = offset;
    return false;
  }

  void SkipWhitespace() {
    while (pos_ < text_.size() && IsWhitespace(text_[pos_])) ++pos_;
  }
  bool AtEnd() const { return pos_ >= text_.size(); }

  bool FailUnexpected(std::string_view expected);
  bool ParseScalar(boost::json::value& out);
  bool ParseString(std::string_view& out, bool* escaped = nullptr);
  bool ParseEscape();
  bool ParseNumber(boost::json::value& out);
  bool ParseLiteral(std::string_view literal);
  // Reads a member name and its ':' (pos_ at the opening quote).
  bool ParseMemberName(const Frame& frame);
  bool OpenContainer(bool is_object);
  // Builds the innermost open container from its pending values and closes it; fails on
  // a duplicate member name.
  bool CloseContainer();

  std::string_view KeyText(const PendingKey& key) const {
    return key.in_arena ? std::string_view(key_arena_).substr(key.begin, key.size)
                        : text_.substr(key.begin, key.size);
  }

  // Source map bookkeeping; all no-ops when no map was asked for.
  void BeginArrayElement(const Frame& frame) {
    if (source_map_ == nullptr) return;
    pointer_.resize(frame.pointer_size);
    pointer_ += '/';
    pointer_ += std::to_string(frame.next_index);
  }
  void RecordValueStart() {
    if (source_map_ != nullptr) map_.Record(pointer_, pos_);
  }

  std::string_view text_;
  const JsonReadOptions& options_;
  JsonSourceMap* source_map_;
  size_t pos_ = 0;

  Buffers& buffers_;
  std::vector<Frame>& frames_;
  std::vector<boost::json::value>& values_;
  std::vector<PendingKey>& keys_;
  std::string& key_arena_;
  std::string& scratch_;
  std::string pointer_;  // pointer of the value being read (only with a source map)
  JsonSourceMap map_;    // moved into *source_map_ on success only

  std::string error_;
  size_t error_offset_ = 0;
};

bool Reader::FailUnexpected(std::string_view expected) {
  if (AtEnd()) return Fail(pos_, "unexpected end of input; expected " + std::string(expected));
  const char c = text_[pos_];
  if (c == '/') return Fail(pos_, "comments are not allowed in JSON");
  return Fail(pos_, "unexpected " + DescribeByte(c) + "; expected " + std::string(expected));
}

bool Reader::OpenContainer(bool is_object) {
  if (frames_.size() >= options_.max_depth) {
    return Fail(pos_, "nesting deeper than " + std::to_string(options_.max_depth) + " levels");
  }
  Frame& frame = frames_.emplace_back();
  frame.is_object = is_object;
  frame.values_begin = values_.size();
  frame.keys_begin = keys_.size();
  frame.pointer_size = pointer_.size();
  ++pos_;
  return true;
}

bool Reader::CloseContainer() {
  const Frame& frame = frames_.back();
  const size_t count = values_.size() - frame.values_begin;
  boost::json::value container;
  if (frame.is_object) {
    boost::json::object& object = container.emplace_object();
    object.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      const PendingKey& key = keys_[frame.keys_begin + i];
      const std::string_view name = KeyText(key);
      if (!object.emplace(name, std::move(values_[frame.values_begin + i])).second) {
        return Fail(key.offset, "duplicate member name " + QuotedForMessage(name));
      }
    }
    keys_.resize(frame.keys_begin);
    if (keys_.empty()) key_arena_.clear();
  } else {
    boost::json::array& array = container.emplace_array();
    array.reserve(count);
    for (size_t i = 0; i < count; ++i) array.push_back(std::move(values_[frame.values_begin + i]));
  }
  values_.resize(frame.values_begin);
  values_.push_back(std::move(container));
  frames_.pop_back();
  return true;
}

bool Reader::ParseMemberName(const Frame& frame) {
  const size_t key_offset = pos_;
  if (AtEnd() || text_[pos_] != '"') return FailUnexpected("a member name in double quotes");
  std::string_view name;
  bool escaped = false;
  if (!ParseString(name, &escaped)) return false;
  PendingKey& key = keys_.emplace_back();
  key.offset = key_offset;
  key.size = name.size();
  if (escaped) {
    key.in_arena = true;
    key.begin = key_arena_.size();
    key_arena_ += name;
  } else {
    key.begin = static_cast<size_t>(name.data() - text_.data());
  }
  if (source_map_ != nullptr) {
    pointer_.resize(frame.pointer_size);
    pointer_ += '/';
    AppendEscapedJsonPointerToken(name, pointer_);
    const size_t value_pointer_size = pointer_.size();
    pointer_ += kKeySuffix;
    map_.Record(pointer_, key_offset);
    pointer_.resize(value_pointer_size);
  }
  SkipWhitespace();
  if (AtEnd() || text_[pos_] != ':') return FailUnexpected("':' after the member name");
  ++pos_;
  SkipWhitespace();
  return true;
}

bool Reader::Parse(boost::json::value& result) {
  if (options_.allow_bom && text_.substr(0, kBom.size()) == kBom) pos_ = kBom.size();
  SkipWhitespace();
  for (;;) {
    // pos_ is at the first byte of a value (whitespace skipped); pointer_ names it.
    RecordValueStart();
    if (AtEnd()) return FailUnexpected("a value");
    const char c = text_[pos_];
    if (c == '{' || c == '[') {
      const bool is_object = c == '{';
      if (!OpenContainer(is_object)) return false;
      SkipWhitespace();
      if (!AtEnd() && text_[pos_] == (is_object ? '}' : ']')) {
        ++pos_;
        if (!CloseContainer()) return false;
      } else {
        if (is_object) {
          if (!ParseMemberName(frames_.back())) return false;
        } else {
          BeginArrayElement(frames_.back());
        }
        continue;  // read the first member or element
      }
    } else if (!ParseScalar(values_.emplace_back())) {
      return false;
    }

    // A value is complete: close the containers that end here, until a further value
    // must be read or the document is done.
    for (;;) {
      if (frames_.empty()) {
        SkipWhitespace();
        if (!AtEnd()) {
          return Fail(pos_, "unexpected " + DescribeByte(text_[pos_]) + " after the document");
        }
        result = std::move(values_.back());
        if (source_map_ != nullptr) *source_map_ = std::move(map_);
        return true;
      }
      Frame& frame = frames_.back();
      SkipWhitespace();
      const char closing = frame.is_object ? '}' : ']';
      if (!AtEnd() && text_[pos_] == ',') {
        const size_t comma = pos_;
        ++pos_;
        SkipWhitespace();
        if (!AtEnd() && text_[pos_] == closing) {
          return Fail(comma, std::string("trailing comma before '") + closing + "'");
        }
        if (frame.is_object) {
          if (!ParseMemberName(frame)) return false;
        } else {
          ++frame.next_index;
          BeginArrayElement(frame);
        }
        break;  // read the next member or element
      }
      if (!AtEnd() && text_[pos_] == closing) {
        ++pos_;
        if (!CloseContainer()) return false;
        continue;
      }
      return FailUnexpected(frame.is_object ? "',' or '}'" : "',' or ']'");
    }
  }
}

bool Reader::ParseScalar(boost::json::value& out) {
  const char c = text_[pos_];
  if (c == '"') {
    std::string_view text;
    if (!ParseString(text)) return false;
    out.emplace_string().assign(text.data(), text.size());
    return true;
  }
  if (c == '-' || IsDigit(c)) return ParseNumber(out);
  if (c == 't') {
    if (!ParseLiteral("true")) return false;
    out = true;
    return true;
  }
  if (c == 'f') {
    if (!ParseLiteral("false")) return false;
    out = false;
    return true;
  }
  if (c == 'n') {
    if (!ParseLiteral("null")) return false;
    out = nullptr;
    return true;
  }
  if (c == 'N' || c == 'I') return Fail(pos_, "NaN and Infinity are not valid JSON numbers");
  if (c == '\'') return Fail(pos_, "strings must be in double quotes");
  return FailUnexpected("a value");
}

bool Reader::ParseLiteral(std::string_view literal) {
  if (text_.substr(pos_, literal.size()) != literal) {
    return Fail(pos_, "invalid literal; expected " + std::string(literal));
  }
  pos_ += literal.size();
  return true;
}

// On success out views either text_ (no escapes: the common case, no copy) or scratch_;
// *escaped says which.
bool Reader::ParseString(std::string_view& out, bool* escaped) {
  ++pos_;  // opening quote
  const size_t start = pos_;
  size_t run_start = start;  // first byte not yet copied to scratch_ (once escaped)
  bool has_escape = false;
  const size_t size = text_.size();
  const char* data = text_.data();
  for (;;) {
    // Most bytes are plain ASCII: skip them eight at a time, then one at a time.
    while (pos_ + 8 <= size) {
      uint64_t word;
      std::memcpy(&word, data + pos_, sizeof(word));
      if (!HasSpecialStringByte(word)) {
        pos_ += 8;
      } else {
        break;
      }
    }
    while (pos_ < size && kPlainStringByte[static_cast<unsigned char>(data[pos_])]) ++pos_;
    if (pos_ >= size) return Fail(pos_, "unterminated string");
    const auto b = static_cast<unsigned char>(data[pos_]);
    if (b == '"') {
      if (has_escape) {
        scratch_.append(data + run_start, pos_ - run_start);
        out = scratch_;
      } else {
        out = text_.substr(start, pos_ - start);
      }
      if (escaped != nullptr) *escaped = has_escape;
      ++pos_;
      return true;
    }
    if (b == '\\') {
      if (!has_escape) {
        scratch_.clear();
        has_escape = true;
      }
      scratch_.append(data + run_start, pos_ - run_start);
      if (!ParseEscape()) return false;
      run_start = pos_;
      continue;
    }
    if (b < 0x20) {
      char buffer[64];
      std::snprintf(buffer, sizeof(buffer), "control character U+%04X in a string must be escaped",
                    b);
      return Fail(pos_, buffer);
    }
    // b >= 0x80: must start a well-formed UTF-8 sequence.
    const size_t length = Utf8SequenceLength(text_, pos_);
    if (length == 0) return Fail(pos_, "invalid UTF-8 in string");
    pos_ += length;
  }
}

bool Reader::ParseEscape() {
  const size_t escape_start = pos_;
  ++pos_;  // backslash
  if (AtEnd()) return Fail(pos_, "unterminated string");
  const char c = text_[pos_++];
  switch (c) {
    case '"':
      scratch_ += '"';
      return true;
    case '\\':
      scratch_ += '\\';
      return true;
    case '/':
      scratch_ += '/';
      return true;
    case 'b':
      scratch_ += '\b';
      return true;
    case 'f':
      scratch_ += '\f';
      return true;
    case 'n':
      scratch_ += '\n';
      return true;
    case 'r':
      scratch_ += '\r';
      return true;
    case 't':
      scratch_ += '\t';
      return true;
    case 'u':
      break;
    default:
      return Fail(escape_start, "invalid escape: backslash followed by " + DescribeByte(c));
  }
  auto read_hex4 = [&](uint32_t& unit) {
    if (text_.size() - pos_ < 4) return false;
    unit = 0;
    for (int i = 0; i < 4; ++i) {
      const int digit = HexValue(text_[pos_ + i]);
      if (digit < 0) return false;
      unit = unit * 16 + static_cast<uint32_t>(digit);
    }
    pos_ += 4;
    return true;
  };
  uint32_t unit = 0;
  if (!read_hex4(unit)) return Fail(escape_start, "\\u must be followed by 4 hex digits");
  if (unit >= 0xDC00 && unit <= 0xDFFF) {
    return Fail(escape_start, "lone low surrogate in \\u escape");
  }
  if (unit >= 0xD800 && unit <= 0xDBFF) {
    // A high surrogate must be followed by an escaped low surrogate; together they are
    // one code point above U+FFFF.
    uint32_t low = 0;
    if (text_.substr(pos_, 2) != "\\u") {
      return Fail(escape_start, "lone high surrogate in \\u escape");
    }
    const size_t low_start = pos_;
    pos_ += 2;
    if (!read_hex4(low)) return Fail(low_start, "\\u must be followed by 4 hex digits");
    if (low < 0xDC00 || low > 0xDFFF) {
      return Fail(escape_start, "lone high surrogate in \\u escape");
    }
    unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
  }
  AppendUtf8(unit, scratch_);
  return true;
}

bool Reader::ParseNumber(boost::json::value& out) {
  const size_t start = pos_;
  const bool negative = text_[pos_] == '-';
  if (negative) ++pos_;
  if (AtEnd() || !IsDigit(text_[pos_])) {
    if (!AtEnd() && text_[pos_] == 'I') {
      return Fail(start, "NaN and Infinity are not valid JSON numbers");
    }
    return Fail(pos_, "expected a digit");
  }
  // Decimal exponent of the first significant digit, to tell an overflow (an error) from
  // an underflow (zero) when from_chars reports either as out of range.
  int64_t magnitude = 0;
  bool seen_significant = false;
  const size_t int_start = pos_;
  if (text_[pos_] == '0') {
    ++pos_;
    if (!AtEnd() && IsDigit(text_[pos_])) return Fail(int_start, "leading zeros are not allowed");
  } else {
    seen_significant = true;
    while (!AtEnd() && IsDigit(text_[pos_])) ++pos_;
    magnitude = static_cast<int64_t>(pos_ - int_start) - 1;
  }
  bool is_integer = true;
  if (!AtEnd() && text_[pos_] == '.') {
    is_integer = false;
    ++pos_;
    if (AtEnd() || !IsDigit(text_[pos_])) return Fail(pos_, "expected a digit after '.'");
    const size_t fraction_start = pos_;
    while (!AtEnd() && IsDigit(text_[pos_])) {
      if (!seen_significant && text_[pos_] != '0') {
        seen_significant = true;
        magnitude = -static_cast<int64_t>(pos_ - fraction_start) - 1;
      }
      ++pos_;
    }
  }
  if (!AtEnd() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
    is_integer = false;
    ++pos_;
    bool negative_exponent = false;
    if (!AtEnd() && (text_[pos_] == '+' || text_[pos_] == '-')) {
      negative_exponent = text_[pos_] == '-';
      ++pos_;
    }
    if (AtEnd() || !IsDigit(text_[pos_])) return Fail(pos_, "expected a digit in the exponent");
    int64_t exponent = 0;
    while (!AtEnd() && IsDigit(text_[pos_])) {
      // Saturate: anything this large is out of range either way.
      if (exponent < 1'000'000'000) exponent = exponent * 10 + (text_[pos_] - '0');
      ++pos_;
    }
    magnitude += negative_exponent ? -exponent : exponent;
  }
  const char* first = text_.data() + start;
  const char* last = text_.data() + pos_;
  if (is_integer) {
    int64_t as_int = 0;
    if (auto [ptr, ec] = std::from_chars(first, last, as_int); ec == std::errc()) {
      out = as_int;
      return true;
    }
    uint64_t as_uint = 0;
    if (!negative) {
      if (auto [ptr, ec] = std::from_chars(first, last, as_uint); ec == std::errc()) {
        out = as_uint;
        return true;
      }
    }
  }
  double as_double = 0;
  auto [ptr, ec] = std::from_chars(first, last, as_double);
  if (ec == std::errc::result_out_of_range) {
    if (seen_significant && magnitude >= 0) return Fail(start, "number out of range");
    as_double = negative ? -0.0 : 0.0;  // underflow: the nearest double is zero
  } else if (ec != std::errc() || ptr != last) {
    return Fail(start, "invalid number");  // cannot happen after the grammar check above
  }
  out = as_double;
  return true;
}

}  // namespace

TextPosition PositionOfOffset(std::string_view text, size_t offset) {
  TextPosition position;
  position.offset = offset;
  if (offset > text.size()) offset = text.size();
  size_t line_start = 0;
  uint32_t line = 1;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  position.line = line;
  position.column = static_cast<uint32_t>(offset - line_start + 1);
  return position;
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts_.push_back(i + 1);
  }
}

TextPosition LineIndex::PositionOf(size_t offset) const {
  TextPosition position;
  position.offset = offset;
  if (offset > text_.size()) offset = text_.size();
  // The last line start at or before offset.
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset) - 1;
  position.line = static_cast<uint32_t>(it - line_starts_.begin() + 1);
  position.column = static_cast<uint32_t>(offset - *it + 1);
  return position;
}

size_t JsonSourceMap::OffsetOf(std::string_view pointer) const {
  std::string key(pointer);
  for (;;) {
    if (auto it = offsets_.find(key); it != offsets_.end()) return it->second;
    if (key.size() >= kKeySuffix.size() &&
        std::string_view(key).substr(key.size() - kKeySuffix.size()) == kKeySuffix) {
      key.resize(key.size() - kKeySuffix.size());  // the member's name -> its value
      continue;
    }
    if (key.empty()) return 0;
    const size_t slash = key.rfind('/');
    key.resize(slash == std::string::npos ? 0 : slash);
  }
}

Result<boost::json::value> ReadJson(std::string_view text, const JsonReadOptions& options,
                                    JsonSourceMap* source_map, JsonSyntaxError* syntax_error) {
  Reader reader(text, options, source_map);
  boost::json::value result;
  if (reader.Parse(result)) return result;
  const TextPosition position = PositionOfOffset(text, reader.error_offset());
  if (syntax_error != nullptr) {
    syntax_error->message = reader.error();
    syntax_error->position = position;
  }
  return Status(ErrorCode::kInvalidArgument, "invalid JSON: " + reader.error() + " at line " +
                                                 std::to_string(position.line) + ", column " +
                                                 std::to_string(position.column));
}

}  // namespace dtwin
