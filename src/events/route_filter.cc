// RouteFilter: length check, parse, and the service's error message shape around them.
// Parse is stateless; a RouteFilter is immutable. Both thread-safe.
#include "events/route_filter.h"

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "events/route_filter_ast.h"
#include "events/route_filter_evaluator.h"
#include "events/route_filter_parser.h"

namespace dtwin {

namespace {

// How the service ends every EventRouteFilterInvalid message (recorded traffic).
constexpr std::string_view kDocumentationHint =
    " See event route documentation for supported values and structure "
    "(https://aka.ms/ADTv2Routes).";

bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

size_t CountCharacters(std::string_view text) {
  size_t count = 0;
  for (char c : text) count += IsUtf8Continuation(c) ? 0 : 1;
  return count;
}

Status FilterInvalid(std::string_view problem) {
  return Status(
      ErrorCode::kEventRouteFilterInvalid,
      "The provided filter is invalid. " + std::string(problem) + std::string(kDocumentationHint));
}

// "Parsing error, Line=1, Position=6, Message=Unexpected input 'is'." with a 1-based line
// and a 1-based position in characters within that line.
Status ParsingError(std::string_view text, const FilterParseError& error) {
  const std::string_view before = text.substr(0, error.offset);
  const size_t line_start = before.rfind('\n');
  const size_t line = 1 + std::count(before.begin(), before.end(), '\n');
  const size_t position =
      1 + CountCharacters(line_start == std::string_view::npos ? before
                                                               : before.substr(line_start + 1));
  return FilterInvalid("Parsing error, Line=" + std::to_string(line) + ", Position=" +
                       std::to_string(position) + ", Message=" + error.message + ".");
}

}  // namespace

namespace {

bool ReadsBody(const FilterExpr& expr);

bool AnyReadsBody(const std::vector<FilterExprPtr>& exprs) {
  return std::any_of(exprs.begin(), exprs.end(),
                     [](const FilterExprPtr& expr) { return ReadsBody(*expr); });
}

// Whether expr or any expression inside it is a $body path.
bool ReadsBody(const FilterExpr& expr) {
  return std::visit(
      [](const auto& node) -> bool {
        using Node = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<Node, BodyPathExpr>) {
          return true;
        } else if constexpr (std::is_same_v<Node, CompareExpr>) {
          return ReadsBody(*node.left) || ReadsBody(*node.right);
        } else if constexpr (std::is_same_v<Node, NotExpr>) {
          return ReadsBody(*node.operand);
        } else if constexpr (std::is_same_v<Node, LogicalExpr>) {
          return AnyReadsBody(node.operands);
        } else if constexpr (std::is_same_v<Node, CallExpr>) {
          return AnyReadsBody(node.arguments);
        } else {
          return false;
        }
      },
      expr.node);
}

}  // namespace

Result<RouteFilter> RouteFilter::Parse(std::string_view text) {
  const size_t length = CountCharacters(text);
  if (length > kMaxRouteFilterLength) {
    return FilterInvalid("The filter has " + std::to_string(length) +
                         " characters; the maximum is " + std::to_string(kMaxRouteFilterLength) +
                         ".");
  }
  std::variant<FilterExprPtr, FilterParseError> parsed = ParseRouteFilterExpression(text);
  if (const auto* error = std::get_if<FilterParseError>(&parsed)) return ParsingError(text, *error);
  std::shared_ptr<const FilterExpr> root(std::get<FilterExprPtr>(std::move(parsed)));
  const bool reads_body = ReadsBody(*root);
  return RouteFilter(std::move(root), reads_body);
}

bool RouteFilter::Matches(const FilterInput& event) const {
  return EvaluateRouteFilter(*root_, event);
}

}  // namespace dtwin
