// Internal to src/dtdl: checks one JSON value against a schema element, appending problems
// with JSON Pointers relative to a path kept on the caller's stack. Shared by ValidateValue
// and the document validators. Stateless; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "dtdl/element.h"
#include "dtdl/instance_validator.h"

namespace dtwin::dtdl {

// One step from the validated root to the current value. Steps live on the stack of the
// recursive checks; a JSON Pointer is built from them only for a problem.
struct PathStep {
  const PathStep* parent = nullptr;
  std::string_view key;  // member name, when !is_index
  size_t index = 0;
  bool is_index = false;
};

// The JSON Pointer of the path ending at step ("" for nullptr).
std::string PointerOf(const PathStep* step);

// "string \"hot\"", "number 1.5", "null", "an object"... as messages show a value.
std::string DescribeJson(const boost::json::value& value);

// Appends the problems of value against element (a schema, or an element bearing one) to
// problems; appends nothing when the value conforms.
void CheckValue(const Element& element, const boost::json::value& value, const PathStep* path,
                std::vector<InstanceProblem>& problems);

}  // namespace dtwin::dtdl
