// Parses route filter text into an expression tree (route_filter_ast.h). Stateless; safe
// to call from any thread.
#pragma once

#include <string_view>
#include <variant>

#include "events/route_filter_ast.h"
#include "events/route_filter_lexer.h"

namespace dtwin {

// The tree of a filter, or its first error. Syntax errors win over naming and typing errors
// (an unknown attribute, an unknown function, a wrong argument count, an operand used as a
// condition), so that "this is not a valid filter string" fails at 'is' as the service does;
// among errors of one kind, the first in the text wins.
std::variant<FilterExprPtr, FilterParseError> ParseRouteFilterExpression(std::string_view text);

}  // namespace dtwin
