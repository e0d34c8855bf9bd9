// Values, three-valued logic, comparisons, functions and aggregates of the reference query
// evaluator, written straight from the semantics contract (docs/query.md). Stateless; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "query/query_ast.h"

namespace dtwin::query::testing {

// The value of an expression; nullopt is *undefined*. A condition's value is true, false
// or undefined: a bool value or nullopt.
using Value = std::optional<boost::json::value>;

// The truth of a condition's value: a bool stays itself, anything else is undefined.
std::optional<bool> TruthOf(const Value& value);
Value ValueOf(std::optional<bool> truth);

Value Not(const Value& operand);
Value And(const Value& left, const Value& right);
Value Or(const Value& left, const Value& right);

// Same JSON type and same value, deeply; integers and doubles are one type, compared numerically.
bool ValuesEqual(const boost::json::value& left, const boost::json::value& right);

// left op right: undefined for undefined or different-typed sides, and for ordering objects/arrays.
Value Compare(const Value& left, QueryCompareOp op, const Value& right);

// The ORDER BY order: undefined < null < false < true < numbers < strings < arrays < objects,
// arrays and objects being equal among themselves. Negative, zero or positive.
int CompareInTypeOrder(const Value& left, const Value& right);

// A function other than IS_OF_MODEL (which needs the query's collections): how many
// arguments it takes and what it computes from their values.
struct ScalarFunction {
  size_t arity;
  Value (*evaluate)(const std::vector<Value>& arguments);
};

// The function of an upper-cased name, or nullptr when there is none.
const ScalarFunction* FindScalarFunction(std::string_view upper_name);

// An aggregate over one group: the values of its path, one per row (COUNT counts them).
Value Aggregate(QueryAggregate aggregate, const std::vector<Value>& values);

}  // namespace dtwin::query::testing
