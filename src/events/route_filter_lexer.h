// Splits route filter text into tokens, one at a time, so the parser reports the first
// problem in text order. One lexer per parse; not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dtwin {

enum class FilterTokenKind : uint8_t {
  kEnd,
  kWord,    // an attribute name, a $body path ("$body.a.b") or a function name
  kString,  // 'text'
  kNumber,  // -12, 3.5, 1e6
  kAnd,
  kOr,
  kNot,
  kTrue,
  kFalse,
  kNull,
  kLeftParen,
  kRightParen,
  kComma,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
};

struct FilterToken {
  FilterTokenKind kind = FilterTokenKind::kEnd;
  std::string_view text;  // the token as written (a string with its quotes)
  size_t offset = 0;      // byte offset of its first character
  std::string value;      // kString only: the contents with escapes resolved
};

// What is wrong with a filter and where (byte offset into the text).
struct FilterParseError {
  size_t offset = 0;
  std::string message;
};

class RouteFilterLexer {
 public:
  explicit RouteFilterLexer(std::string_view text) : text_(text) {}

  // Reads the next token into *token (kEnd, repeatedly, once the text is used up).
  // Returns false and fills *error on input that is no token at all.
  bool Next(FilterToken* token, FilterParseError* error);

 private:
  bool ReadString(FilterToken* token, FilterParseError* error);
  void ReadNumber(FilterToken* token);
  void ReadWord(FilterToken* token);

  std::string_view text_;
  size_t pos_ = 0;
};

// Whether text equals upper (an upper-case ASCII word) ignoring ASCII case: keywords and
// function names are case-insensitive.
bool EqualsIgnoreCase(std::string_view text, std::string_view upper);

// "Unexpected input 'x'" for the token (or character) at hand, as the service words it;
// "Unexpected end of input" at the end.
std::string UnexpectedInputMessage(std::string_view token_text);

}  // namespace dtwin
