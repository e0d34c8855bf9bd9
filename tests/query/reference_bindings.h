// Every binding of a query's collections to documents, before WHERE: all twins or
// relationships, JOIN chains, MATCH patterns. Plain nested loops and depth-first walks.
// Stateless function; thread-safe as long as the scope is not shared.
#pragma once

#include <vector>

#include "reference_scope.h"

namespace dtwin::query::testing {

std::vector<Binding> EnumerateBindings(const ReferenceScope& scope);

}  // namespace dtwin::query::testing
