// Query tokenizer: see query_lexer.h.
#include "query/query_lexer.h"

#include <cctype>

namespace dtwin::query {
namespace {

bool IsWordStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

bool IsWordPart(char c) { return IsWordStart(c) || std::isdigit(static_cast<unsigned char>(c)); }

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// The token kind of a one- or two-character operator or punctuation at text[pos], with its
// length; kEnd if there is none.
std::pair<QueryTokenKind, size_t> Punctuation(std::string_view text, size_t pos) {
  const char c = text[pos];
  const char next = pos + 1 < text.size() ? text[pos + 1] : '\0';
  switch (c) {
    case '(':
      return {QueryTokenKind::kLeftParen, 1};
    case ')':
      return {QueryTokenKind::kRightParen, 1};
    case '[':
      return {QueryTokenKind::kLeftBracket, 1};
    case ']':
      return {QueryTokenKind::kRightBracket, 1};
    case ',':
      return {QueryTokenKind::kComma, 1};
    case '.':
      return {QueryTokenKind::kDot, 1};
    case '*':
      return {QueryTokenKind::kStar, 1};
    case '-':
      return {QueryTokenKind::kMinus, 1};
    case ':':
      return {QueryTokenKind::kColon, 1};
    case '|':
      return {QueryTokenKind::kPipe, 1};
    case '=':
      return {QueryTokenKind::kEq, 1};
    case '!':
      return next == '=' ? std::pair{QueryTokenKind::kNe, size_t{2}}
                         : std::pair{QueryTokenKind::kEnd, size_t{0}};
    case '<':
      if (next == '=') return {QueryTokenKind::kLe, 2};
      if (next == '>') return {QueryTokenKind::kNe, 2};
      return {QueryTokenKind::kLt, 1};
    case '>':
      return next == '=' ? std::pair{QueryTokenKind::kGe, size_t{2}}
                         : std::pair{QueryTokenKind::kGt, size_t{1}};
    default:
      return {QueryTokenKind::kEnd, 0};
  }
}

// Reads the string starting at text[start] (a quote) into token->value; returns the offset
// just past its closing quote, or 0 when it is unterminated.
size_t ReadString(std::string_view text, size_t start, QueryToken* token) {
  const char quote = text[start];
  for (size_t pos = start + 1; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == quote) return pos + 1;
    if (c == '\\' && pos + 1 < text.size()) {
      c = text[++pos];
      switch (c) {
        case 'n':
          c = '\n';
          break;
        case 't':
          c = '\t';
          break;
        case 'r':
          c = '\r';
          break;
        case 'b':
          c = '\b';
          break;
        case 'f':
          c = '\f';
          break;
        default:
          break;  // \' \" \\ \/ and any other character stand for themselves.
      }
    }
    token->value.push_back(c);
  }
  return 0;
}

// The offset just past the number starting at text[start] (digits, or '-' then digits).
size_t ReadNumber(std::string_view text, size_t pos) {
  if (text[pos] == '-') ++pos;
  while (pos < text.size() && IsDigit(text[pos])) ++pos;
  if (pos + 1 < text.size() && text[pos] == '.' && IsDigit(text[pos + 1])) {
    ++pos;
    while (pos < text.size() && IsDigit(text[pos])) ++pos;
  }
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    size_t exponent = pos + 1;
    if (exponent < text.size() && (text[exponent] == '+' || text[exponent] == '-')) ++exponent;
    if (exponent < text.size() && IsDigit(text[exponent])) {
      pos = exponent;
      while (pos < text.size() && IsDigit(text[pos])) ++pos;
    }
  }
  return pos;
}

}  // namespace

bool QueryToken::IsKeyword(std::string_view upper) const {
  if (kind != QueryTokenKind::kWord || text.size() != upper.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(text[i])) != upper[i]) return false;
  }
  return true;
}

Status QuerySyntaxError(size_t offset, std::string_view what) {
  return Status(
      ErrorCode::kSqlQueryError,
      "Query syntax error at position " + std::to_string(offset + 1) + ": " + std::string(what));
}

Result<std::vector<QueryToken>> TokenizeQuery(std::string_view text) {
  std::vector<QueryToken> tokens;
  size_t pos = 0;
  while (true) {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
    QueryToken token;
    token.offset = pos;
    if (pos == text.size()) {
      tokens.push_back(std::move(token));
      return tokens;
    }
    const char c = text[pos];
    size_t end = pos;
    if (IsWordStart(c)) {
      end = pos + 1;
      while (end < text.size() && IsWordPart(text[end])) ++end;
      token.kind = QueryTokenKind::kWord;
      token.value = std::string(text.substr(pos, end - pos));
    } else if (IsDigit(c) || (c == '-' && pos + 1 < text.size() && IsDigit(text[pos + 1]))) {
      end = ReadNumber(text, pos);
      token.kind = QueryTokenKind::kNumber;
    } else if (c == '\'' || c == '"') {
      end = ReadString(text, pos, &token);
      if (end == 0) return QuerySyntaxError(pos, "unterminated string literal");
      token.kind = QueryTokenKind::kString;
    } else if (text.substr(pos, 2) == "[[") {
      const size_t close = text.find("]]", pos + 2);
      if (close == std::string_view::npos) {
        return QuerySyntaxError(pos, "unterminated escaped name, expected ']]'");
      }
      token.value = std::string(text.substr(pos + 2, close - pos - 2));
      bool valid = !token.value.empty() && IsWordStart(token.value[0]);
      for (char part : token.value) valid = valid && IsWordPart(part);
      if (!valid) return QuerySyntaxError(pos + 2, "expected a name inside [[ ]]");
      end = close + 2;
      token.kind = QueryTokenKind::kEscapedWord;
    } else {
      const auto [kind, length] = Punctuation(text, pos);
      if (length == 0) {
        return QuerySyntaxError(pos, "unexpected character '" + std::string(1, c) + "'");
      }
      token.kind = kind;
      end = pos + length;
    }
    token.text = text.substr(pos, end - pos);
    tokens.push_back(std::move(token));
    pos = end;
  }
}

}  // namespace dtwin::query
