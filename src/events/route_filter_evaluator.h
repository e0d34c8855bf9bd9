// Evaluates a parsed route filter against one event. Reads the tree and the event only;
// safe to call from any number of threads at once.
#pragma once

#include "events/route_filter_ast.h"

namespace dtwin {

struct FilterInput;

// Whether the condition at root holds for event (semantics in route_filter.h). root must be
// a tree accepted by ParseRouteFilterExpression.
bool EvaluateRouteFilter(const FilterExpr& root, const FilterInput& event);

}  // namespace dtwin
