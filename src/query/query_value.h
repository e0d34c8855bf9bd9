// Values during query evaluation and the rules that compare them: three-valued logic (a
// comparison with a missing property or a value of another type is undefined, not false),
// and the total order ORDER BY, MIN/MAX and GROUP BY use. Stateless; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>

#include "query/query_ast.h"

namespace dtwin::query {

// A value an expression yields: undefined (a path that leads nowhere), or a JSON value that
// is either borrowed from a document (valid while the graph is locked) or owned.
class QueryValue {
 public:
  QueryValue() = default;  // undefined
  static QueryValue Borrowed(const boost::json::value* value) {
    QueryValue result;
    result.borrowed_ = value;
    return result;
  }
  static QueryValue Owned(boost::json::value value) {
    QueryValue result;
    result.owned_ = std::move(value);
    result.is_owned_ = true;
    return result;
  }
  static QueryValue Bool(bool value) { return Owned(boost::json::value(value)); }

  bool defined() const { return is_owned_ || borrowed_ != nullptr; }
  // Only when defined().
  const boost::json::value& json() const { return is_owned_ ? owned_ : *borrowed_; }
  // True only for the JSON value true: what a WHERE clause needs to keep a row.
  bool IsTrue() const { return defined() && json().is_bool() && json().get_bool(); }

 private:
  const boost::json::value* borrowed_ = nullptr;
  boost::json::value owned_;
  bool is_owned_ = false;
};

// a op b: true/false as a JSON bool, or undefined when either side is undefined or the two
// are of different types (integers and doubles are both numbers). Strings compare byte-wise;
// false < true; null equals null; objects and arrays support only = and != (deep equality).
QueryValue CompareValues(const QueryValue& a, QueryCompareOp op, const QueryValue& b);

// Same type and value (1 == 1.0); false when either is undefined.
bool ValuesEqual(const QueryValue& a, const QueryValue& b);

// The total order of ORDER BY, MIN/MAX and groups: undefined < null < false < true <
// numbers < strings < arrays < objects; arrays and objects are equal among themselves.
// Returns <0, 0 or >0.
int OrderValues(const QueryValue& a, const QueryValue& b);

// NOT, AND, OR over values: only the JSON booleans are truth values; anything else is
// undefined.
QueryValue NotValue(const QueryValue& a);
QueryValue AndValues(const QueryValue& a, const QueryValue& b);
QueryValue OrValues(const QueryValue& a, const QueryValue& b);

// A literal of the syntax tree as a JSON value.
boost::json::value LiteralJson(const QueryLiteral& literal);

}  // namespace dtwin::query
