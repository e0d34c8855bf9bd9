// Tokens of the route filter language. One lexer per parse; not thread-safe.
#include "events/route_filter_lexer.h"

#include <algorithm>
#include <array>
#include <utility>

namespace dtwin {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsWordStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}

// '.' belongs to words so that "$body.$metadata.$model" is one token.
bool IsWordPart(char c) { return IsWordStart(c) || IsDigit(c) || c == '.'; }

// Bytes of the UTF-8 character starting at text[pos], so errors quote whole characters.
size_t CharLength(std::string_view text, size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  size_t length = 1;
  if (lead >= 0xF0) {
    length = 4;
  } else if (lead >= 0xE0) {
    length = 3;
  } else if (lead >= 0xC0) {
    length = 2;
  }
  return std::min(length, text.size() - pos);
}

}  // namespace

bool EqualsIgnoreCase(std::string_view text, std::string_view upper) {
  if (text.size() != upper.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != upper[i]) return false;
  }
  return true;
}

std::string UnexpectedInputMessage(std::string_view token_text) {
  if (token_text.empty()) return "Unexpected end of input";
  // A long string literal is cut (the position already says where it is), never inside a
  // UTF-8 character: the message goes into JSON.
  constexpr size_t kMaxQuoted = 40;
  if (token_text.size() > kMaxQuoted) {
    size_t cut = kMaxQuoted;
    while (cut > 0 && (static_cast<unsigned char>(token_text[cut]) & 0xC0) == 0x80) --cut;
    return "Unexpected input '" + std::string(token_text.substr(0, cut)) + "...'";
  }
  return "Unexpected input '" + std::string(token_text) + "'";
}

bool RouteFilterLexer::Next(FilterToken* token, FilterParseError* error) {
  while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\r' ||
                                 text_[pos_] == '\n')) {
    ++pos_;
  }
  token->offset = pos_;
  token->value.clear();
  if (pos_ == text_.size()) {
    token->kind = FilterTokenKind::kEnd;
    token->text = {};
    return true;
  }
  const char c = text_[pos_];
  const char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
  if (c == '\'') return ReadString(token, error);
  if (IsDigit(c) || (c == '-' && IsDigit(next))) {
    ReadNumber(token);
    return true;
  }
  if (IsWordStart(c)) {
    ReadWord(token);
    return true;
  }
  size_t length = 1;
  switch (c) {
    case '(':
      token->kind = FilterTokenKind::kLeftParen;
      break;
    case ')':
      token->kind = FilterTokenKind::kRightParen;
      break;
    case ',':
      token->kind = FilterTokenKind::kComma;
      break;
    case '=':
      token->kind = FilterTokenKind::kEq;
      break;
    case '<':
      token->kind = next == '=' ? FilterTokenKind::kLe : FilterTokenKind::kLt;
      length = next == '=' ? 2 : 1;
      break;
    case '>':
      token->kind = next == '=' ? FilterTokenKind::kGe : FilterTokenKind::kGt;
      length = next == '=' ? 2 : 1;
      break;
    case '!':
      if (next == '=') {
        token->kind = FilterTokenKind::kNe;
        length = 2;
        break;
      }
      [[fallthrough]];
    default:
      *error = {pos_, UnexpectedInputMessage(text_.substr(pos_, CharLength(text_, pos_)))};
      return false;
  }
  token->text = text_.substr(pos_, length);
  pos_ += length;
  return true;
}

bool RouteFilterLexer::ReadString(FilterToken* token, FilterParseError* error) {
  const size_t start = pos_;
  size_t pos = pos_ + 1;
  while (pos < text_.size() && text_[pos] != '\'') {
    if (text_[pos] != '\\') {
      token->value += text_[pos++];
      continue;
    }
    if (pos + 1 == text_.size()) {  // a trailing backslash: the string never closes
      pos = text_.size();
      break;
    }
    const char escaped = text_[pos + 1];
    if (escaped != '\'' && escaped != '"' && escaped != '\\') {
      *error = {pos, "Invalid escape sequence '\\" +
                         std::string(text_.substr(pos + 1, CharLength(text_, pos + 1))) +
                         "' in a string; use \\', \\\" or \\\\"};
      return false;
    }
    token->value += escaped;
    pos += 2;
  }
  if (pos == text_.size()) {
    *error = {start, "Unterminated string literal"};
    return false;
  }
  pos_ = pos + 1;
  token->kind = FilterTokenKind::kString;
  token->text = text_.substr(start, pos_ - start);
  return true;
}

void RouteFilterLexer::ReadNumber(FilterToken* token) {
  const size_t start = pos_;
  auto digits = [this] {
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
  };
  auto at = [this](size_t pos) { return pos < text_.size() ? text_[pos] : '\0'; };
  if (text_[pos_] == '-') ++pos_;
  digits();
  if (at(pos_) == '.' && IsDigit(at(pos_ + 1))) {
    ++pos_;
    digits();
  }
  if (at(pos_) == 'e' || at(pos_) == 'E') {
    const size_t sign = (at(pos_ + 1) == '+' || at(pos_ + 1) == '-') ? 1 : 0;
    if (IsDigit(at(pos_ + 1 + sign))) {
      pos_ += 1 + sign;
      digits();
    }
  }
  token->kind = FilterTokenKind::kNumber;
  token->text = text_.substr(start, pos_ - start);
}

void RouteFilterLexer::ReadWord(FilterToken* token) {
  const size_t start = pos_;
  while (pos_ < text_.size() && IsWordPart(text_[pos_])) ++pos_;
  token->text = text_.substr(start, pos_ - start);
  static constexpr std::array<std::pair<std::string_view, FilterTokenKind>, 6> kKeywords = {{
      {"AND", FilterTokenKind::kAnd},
      {"OR", FilterTokenKind::kOr},
      {"NOT", FilterTokenKind::kNot},
      {"TRUE", FilterTokenKind::kTrue},
      {"FALSE", FilterTokenKind::kFalse},
      {"NULL", FilterTokenKind::kNull},
  }};
  token->kind = FilterTokenKind::kWord;
  for (const auto& [keyword, kind] : kKeywords) {
    if (EqualsIgnoreCase(token->text, keyword)) token->kind = kind;
  }
}

}  // namespace dtwin
