// Recursive-descent parser of the route filter language, depth-limited so that no input can
// exhaust the stack. One Parser per call; the function is thread-safe.
//
//   filter     := or
//   or         := and (OR and)*
//   and        := not (AND not)*
//   not        := NOT not | comparison
//   comparison := primary (('=' | '!=' | '<' | '<=' | '>' | '>=') primary)?
//   primary    := '(' or ')' | string | number | TRUE | FALSE | NULL
//               | word '(' (or (',' or)*)? ')' | word
#include "events/route_filter_parser.h"

#include <array>
#include <charconv>
#include <optional>
#include <string>
#include <utility>

#include "events/route_filter.h"

namespace dtwin {

namespace {

constexpr std::string_view kBody = "$body";

constexpr std::array<std::pair<std::string_view, FilterAttribute>, 10> kAttributes = {{
    {"type", FilterAttribute::kType},
    {"source", FilterAttribute::kSource},
    {"id", FilterAttribute::kId},
    {"subject", FilterAttribute::kSubject},
    {"specversion", FilterAttribute::kSpecVersion},
    {"dataschema", FilterAttribute::kDataSchema},
    {"datacontenttype", FilterAttribute::kDataContentType},
    {"time", FilterAttribute::kTime},
    {"traceparent", FilterAttribute::kTraceParent},
    {"$eventType", FilterAttribute::kLegacyEventType},
}};

constexpr std::array<std::pair<std::string_view, FilterFunction>, 3> kFunctions = {{
    {"STARTS_WITH", FilterFunction::kStartsWith},
    {"ENDS_WITH", FilterFunction::kEndsWith},
    {"CONTAINS", FilterFunction::kContains},
}};

std::optional<FilterCompareOp> CompareOpOf(FilterTokenKind kind) {
  switch (kind) {
    case FilterTokenKind::kEq:
      return FilterCompareOp::kEq;
    case FilterTokenKind::kNe:
      return FilterCompareOp::kNe;
    case FilterTokenKind::kLt:
      return FilterCompareOp::kLt;
    case FilterTokenKind::kLe:
      return FilterCompareOp::kLe;
    case FilterTokenKind::kGt:
      return FilterCompareOp::kGt;
    case FilterTokenKind::kGe:
      return FilterCompareOp::kGe;
    default:
      return std::nullopt;
  }
}

template <typename Node>
FilterExprPtr MakeExpr(size_t offset, Node node) {
  return std::make_unique<const FilterExpr>(FilterExpr{std::move(node), offset});
}

// Whether expr yields true or false, so it can stand where a condition is expected.
bool IsCondition(const FilterExpr& expr) {
  if (const auto* literal = std::get_if<LiteralExpr>(&expr.node)) {
    return std::holds_alternative<bool>(literal->value);
  }
  return !std::holds_alternative<AttributeExpr>(expr.node) &&
         !std::holds_alternative<BodyPathExpr>(expr.node);
}

class Parser {
 public:
  explicit Parser(std::string_view text) : lexer_(text) {}

  std::variant<FilterExprPtr, FilterParseError> Run() {
    FilterExprPtr root;
    if (Advance()) root = ParseLogical(/*is_and=*/false);
    if (root && current_.kind != FilterTokenKind::kEnd) root = Unexpected();
    if (!root) return std::move(*error_);
    RequireCondition(*root);
    if (naming_error_) return std::move(*naming_error_);
    return root;
  }

 private:
  // Reads the next token into current_; false (with error_ set) on a lexical error.
  bool Advance() {
    FilterParseError error;
    if (lexer_.Next(&current_, &error)) return true;
    error_ = std::move(error);
    return false;
  }

  // A syntax error: parsing stops. Returns the null tree the callers pass up.
  FilterExprPtr Fail(size_t offset, std::string message) {
    error_ = FilterParseError{offset, std::move(message)};
    return nullptr;
  }

  FilterExprPtr Unexpected() {
    return Fail(current_.offset, UnexpectedInputMessage(current_.text));
  }

  // A naming or typing error: parsing goes on, so a later syntax error still wins.
  void NoteNamingError(size_t offset, std::string message) {
    if (!naming_error_ || offset < naming_error_->offset) {
      naming_error_ = FilterParseError{offset, std::move(message)};
    }
  }

  void RequireCondition(const FilterExpr& expr) {
    if (IsCondition(expr)) return;
    NoteNamingError(expr.offset,
                    "Expected a condition (a comparison, STARTS_WITH, ENDS_WITH, CONTAINS, true "
                    "or false), not a value on its own");
  }

  // Enters one level of parentheses, NOT or function call at offset.
  bool Enter(size_t offset) {
    if (++depth_ <= kMaxRouteFilterNesting) return true;
    Fail(offset, "The filter nests parentheses, NOT and function calls more than " +
                     std::to_string(kMaxRouteFilterNesting) + " levels deep");
    return false;
  }

  // or := and (OR and)*; and := not (AND not)*. One n-ary node per chain.
  FilterExprPtr ParseLogical(bool is_and) {
    const FilterTokenKind separator = is_and ? FilterTokenKind::kAnd : FilterTokenKind::kOr;
    FilterExprPtr first = is_and ? ParseNot() : ParseLogical(/*is_and=*/true);
    if (!first || current_.kind != separator) return first;
    const size_t offset = first->offset;
    LogicalExpr logical{is_and, {}};
    logical.operands.push_back(std::move(first));
    while (current_.kind == separator) {
      if (!Advance()) return nullptr;
      FilterExprPtr operand = is_and ? ParseNot() : ParseLogical(/*is_and=*/true);
      if (!operand) return nullptr;
      logical.operands.push_back(std::move(operand));
    }
    for (const FilterExprPtr& operand : logical.operands) RequireCondition(*operand);
    return MakeExpr(offset, std::move(logical));
  }

  FilterExprPtr ParseNot() {
    if (current_.kind != FilterTokenKind::kNot) return ParseComparison();
    const size_t offset = current_.offset;
    if (!Enter(offset) || !Advance()) return nullptr;
    FilterExprPtr operand = ParseNot();
    if (!operand) return nullptr;
    --depth_;
    RequireCondition(*operand);
    return MakeExpr(offset, NotExpr{std::move(operand)});
  }

  FilterExprPtr ParseComparison() {
    FilterExprPtr left = ParsePrimary();
    if (!left) return nullptr;
    const std::optional<FilterCompareOp> op = CompareOpOf(current_.kind);
    if (!op) return left;
    if (!Advance()) return nullptr;
    FilterExprPtr right = ParsePrimary();
    if (!right) return nullptr;
    const size_t offset = left->offset;
    return MakeExpr(offset, CompareExpr{*op, std::move(left), std::move(right)});
  }

  FilterExprPtr ParsePrimary() {
    const size_t offset = current_.offset;
    switch (current_.kind) {
      case FilterTokenKind::kLeftParen: {
        if (!Enter(offset) || !Advance()) return nullptr;
        FilterExprPtr inner = ParseLogical(/*is_and=*/false);
        if (!inner) return nullptr;
        if (current_.kind != FilterTokenKind::kRightParen) return Unexpected();
        --depth_;
        return Advance() ? std::move(inner) : nullptr;
      }
      case FilterTokenKind::kString: {
        std::string value = std::move(current_.value);
        return Advance() ? MakeExpr(offset, LiteralExpr{std::move(value)}) : nullptr;
      }
      case FilterTokenKind::kNumber:
        return ParseNumber();
      case FilterTokenKind::kTrue:
      case FilterTokenKind::kFalse: {
        const bool value = current_.kind == FilterTokenKind::kTrue;
        return Advance() ? MakeExpr(offset, LiteralExpr{value}) : nullptr;
      }
      case FilterTokenKind::kNull:
        return Advance() ? MakeExpr(offset, LiteralExpr{nullptr}) : nullptr;
      case FilterTokenKind::kWord: {
        const std::string_view word = current_.text;
        if (!Advance()) return nullptr;
        return current_.kind == FilterTokenKind::kLeftParen ? ParseCall(word, offset)
                                                            : ResolveName(word, offset);
      }
      default:
        return Unexpected();
    }
  }

  FilterExprPtr ParseNumber() {
    const std::string_view text = current_.text;
    const size_t offset = current_.offset;
    const char* end = text.data() + text.size();
    // Integers stay exact up to the uint64 range, as in event data; beyond it, and decimals,
    // become doubles.
    if (text.find_first_of(".eE") == std::string_view::npos) {
      int64_t integer = 0;
      if (std::from_chars(text.data(), end, integer).ec == std::errc()) {
        return Advance() ? MakeExpr(offset, LiteralExpr{integer}) : nullptr;
      }
      uint64_t unsigned_integer = 0;
      if (std::from_chars(text.data(), end, unsigned_integer).ec == std::errc()) {
        return Advance() ? MakeExpr(offset, LiteralExpr{unsigned_integer}) : nullptr;
      }
    }
    double number = 0;
    if (std::from_chars(text.data(), end, number).ec != std::errc()) {
      return Fail(offset, "The number " + std::string(text) + " is out of range");
    }
    return Advance() ? MakeExpr(offset, LiteralExpr{number}) : nullptr;
  }

  // word '(' arguments ')'; current_ is the '('.
  FilterExprPtr ParseCall(std::string_view name, size_t offset) {
    if (!Enter(current_.offset) || !Advance()) return nullptr;
    std::vector<FilterExprPtr> arguments;
    if (current_.kind != FilterTokenKind::kRightParen) {
      for (;;) {
        FilterExprPtr argument = ParseLogical(/*is_and=*/false);
        if (!argument) return nullptr;
        arguments.push_back(std::move(argument));
        if (current_.kind != FilterTokenKind::kComma) break;
        if (!Advance()) return nullptr;
      }
    }
    if (current_.kind != FilterTokenKind::kRightParen) return Unexpected();
    --depth_;
    if (!Advance()) return nullptr;

    for (const auto& [function_name, function] : kFunctions) {
      if (!EqualsIgnoreCase(name, function_name)) continue;
      if (arguments.size() != 2) {
        NoteNamingError(offset, std::string(function_name) + " takes 2 arguments, not " +
                                    std::to_string(arguments.size()));
      }
      return MakeExpr(offset, CallExpr{function, std::move(arguments)});
    }
    NoteNamingError(offset, "Unknown function '" + std::string(name) +
                                "'; the functions are STARTS_WITH, ENDS_WITH and CONTAINS");
    return MakeExpr(offset, LiteralExpr{false});
  }

  // An attribute name or a $body path.
  FilterExprPtr ResolveName(std::string_view word, size_t offset) {
    if (word.starts_with(kBody) && (word.size() == kBody.size() || word[kBody.size()] == '.')) {
      BodyPathExpr body;
      for (size_t dot = word.find('.'); dot != std::string_view::npos;) {
        const size_t next = word.find('.', dot + 1);
        const std::string_view segment =
            word.substr(dot + 1, next == std::string_view::npos ? next : next - dot - 1);
        if (segment.empty()) return Fail(offset + dot + 1, "Expected a property name after '.'");
        body.path.emplace_back(segment);
        dot = next;
      }
      return MakeExpr(offset, std::move(body));
    }
    for (const auto& [name, attribute] : kAttributes) {
      if (word == name) return MakeExpr(offset, AttributeExpr{attribute});
    }
    NoteNamingError(offset, "Unknown attribute '" + std::string(word) +
                                "'; the attributes are type, source, subject, id, specversion, "
                                "dataschema, datacontenttype, time, traceparent and "
                                "$body.<property> (names are case-sensitive)");
    return MakeExpr(offset, LiteralExpr{nullptr});
  }

  RouteFilterLexer lexer_;
  FilterToken current_;
  int depth_ = 0;
  std::optional<FilterParseError> error_;         // the syntax error that stopped parsing
  std::optional<FilterParseError> naming_error_;  // the first naming or typing error
};

}  // namespace

std::variant<FilterExprPtr, FilterParseError> ParseRouteFilterExpression(std::string_view text) {
  return Parser(text).Run();
}

}  // namespace dtwin
