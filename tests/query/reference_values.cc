// Reference evaluator values: see reference_values.h. Deliberately plain: every rule is one
// small function that can be checked against docs/query.md line by line.
#include "reference_values.h"

#include <cstdint>
#include <string_view>
#include <utility>

namespace dtwin::query::testing {
namespace {

// JSON types as the comparison rules see them: integers and doubles are one "number".
enum class JsonType { kNull, kBool, kNumber, kString, kArray, kObject };

JsonType TypeOf(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return JsonType::kNull;
    case boost::json::kind::bool_:
      return JsonType::kBool;
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return JsonType::kNumber;
    case boost::json::kind::string:
      return JsonType::kString;
    case boost::json::kind::array:
      return JsonType::kArray;
    case boost::json::kind::object:
      return JsonType::kObject;
  }
  return JsonType::kNull;
}

// long double holds every int64, uint64 and double exactly on x86-64 (64-bit mantissa), so
// 1 = 1.0 and 2^53 + 1 != 2^53 both come out right.
long double NumberOf(const boost::json::value& value) {
  if (value.is_int64()) return static_cast<long double>(value.get_int64());
  if (value.is_uint64()) return static_cast<long double>(value.get_uint64());
  return static_cast<long double>(value.get_double());
}

int Sign(auto difference) { return (difference > 0) - (difference < 0); }

int CompareStrings(const boost::json::value& left, const boost::json::value& right) {
  // std::string_view compares as unsigned bytes: ordinal, as the contract says.
  return Sign(std::string_view(left.get_string()).compare(std::string_view(right.get_string())));
}

bool ArraysEqual(const boost::json::array& left, const boost::json::array& right) {
  if (left.size() != right.size()) return false;
  for (size_t i = 0; i < left.size(); ++i) {
    if (!ValuesEqual(left[i], right[i])) return false;
  }
  return true;
}

bool ObjectsEqual(const boost::json::object& left, const boost::json::object& right) {
  if (left.size() != right.size()) return false;
  for (const auto& [key, value] : left) {
    const boost::json::value* other = right.if_contains(key);
    if (other == nullptr || !ValuesEqual(value, *other)) return false;
  }
  return true;
}

bool Holds(std::optional<bool> truth, bool wanted) { return truth.has_value() && *truth == wanted; }

// Both arguments strings, or undefined.
Value StringTest(const std::vector<Value>& arguments,
                 bool (*test)(std::string_view text, std::string_view part)) {
  if (!arguments[0] || !arguments[1] || !arguments[0]->is_string() || !arguments[1]->is_string()) {
    return std::nullopt;
  }
  return test(std::string_view(arguments[0]->get_string()),
              std::string_view(arguments[1]->get_string()));
}

Value ArrayContains(const std::vector<Value>& arguments) {
  if (!arguments[0] || !arguments[0]->is_array()) return std::nullopt;
  if (!arguments[1]) return false;
  for (const boost::json::value& element : arguments[0]->get_array()) {
    if (ValuesEqual(element, *arguments[1])) return true;
  }
  return false;
}

Value StartsWith(const std::vector<Value>& arguments) {
  return StringTest(arguments,
                    [](std::string_view s, std::string_view p) { return s.starts_with(p); });
}
Value EndsWith(const std::vector<Value>& arguments) {
  return StringTest(arguments,
                    [](std::string_view s, std::string_view p) { return s.ends_with(p); });
}

template <bool (boost::json::value::*kTest)() const noexcept>
Value IsType(const std::vector<Value>& arguments) {
  return arguments[0].has_value() && ((*arguments[0]).*kTest)();
}

Value IsDefined(const std::vector<Value>& arguments) { return arguments[0].has_value(); }

Value Contains(const std::vector<Value>& arguments) {
  return StringTest(arguments, [](std::string_view s, std::string_view p) {
    return s.find(p) != std::string_view::npos;
  });
}

constexpr std::pair<std::string_view, ScalarFunction> kScalarFunctions[] = {
    {"IS_DEFINED", {1, IsDefined}},
    {"IS_NULL", {1, IsType<&boost::json::value::is_null>}},
    {"IS_BOOL", {1, IsType<&boost::json::value::is_bool>}},
    {"IS_NUMBER", {1, IsType<&boost::json::value::is_number>}},
    {"IS_STRING", {1, IsType<&boost::json::value::is_string>}},
    {"IS_OBJECT", {1, IsType<&boost::json::value::is_object>}},
    {"IS_PRIMITIVE", {1, IsType<&boost::json::value::is_primitive>}},
    {"STARTSWITH", {2, StartsWith}},
    {"STARTS_WITH", {2, StartsWith}},
    {"ENDSWITH", {2, EndsWith}},
    {"ENDS_WITH", {2, EndsWith}},
    {"CONTAINS", {2, Contains}},
    {"ARRAY_CONTAINS", {2, ArrayContains}},
};

Value Sum(const std::vector<Value>& values) {
  // Integers stay integers (SUM of 1 and 2 is 3, not 3.0) until a double or an overflow.
  int64_t integer_sum = 0;
  long double sum = 0;
  bool integral = true;
  for (const Value& value : values) {
    if (!value || !value->is_number()) continue;
    sum += NumberOf(*value);
    integral = integral && value->is_int64() &&
               !__builtin_add_overflow(integer_sum, value->get_int64(), &integer_sum);
  }
  if (integral) return boost::json::value(integer_sum);
  return boost::json::value(static_cast<double>(sum));
}

Value Average(const std::vector<Value>& values) {
  long double sum = 0;
  size_t count = 0;
  for (const Value& value : values) {
    if (!value || !value->is_number()) continue;
    sum += NumberOf(*value);
    ++count;
  }
  if (count == 0) return std::nullopt;
  return boost::json::value(static_cast<double>(sum / static_cast<long double>(count)));
}

// The first of the values that sorts lowest (want = -1) or highest (want = 1).
Value Extreme(const std::vector<Value>& values, int want) {
  Value best;
  for (const Value& value : values) {
    if (!value) continue;
    if (!best || CompareInTypeOrder(value, best) * want > 0) best = value;
  }
  return best;
}

}  // namespace

std::optional<bool> TruthOf(const Value& value) {
  if (!value || !value->is_bool()) return std::nullopt;
  return value->get_bool();
}

Value ValueOf(std::optional<bool> truth) {
  if (!truth) return std::nullopt;
  return boost::json::value(*truth);
}

Value Not(const Value& operand) {
  const std::optional<bool> truth = TruthOf(operand);
  return truth ? ValueOf(!*truth) : std::nullopt;
}

Value And(const Value& left, const Value& right) {
  if (Holds(TruthOf(left), false) || Holds(TruthOf(right), false)) return ValueOf(false);
  if (!TruthOf(left) || !TruthOf(right)) return std::nullopt;
  return ValueOf(true);
}

Value Or(const Value& left, const Value& right) {
  if (Holds(TruthOf(left), true) || Holds(TruthOf(right), true)) return ValueOf(true);
  if (!TruthOf(left) || !TruthOf(right)) return std::nullopt;
  return ValueOf(false);
}

bool ValuesEqual(const boost::json::value& left, const boost::json::value& right) {
  const JsonType type = TypeOf(left);
  if (type != TypeOf(right)) return false;
  switch (type) {
    case JsonType::kNull:
      return true;
    case JsonType::kBool:
      return left.get_bool() == right.get_bool();
    case JsonType::kNumber:
      return NumberOf(left) == NumberOf(right);
    case JsonType::kString:
      return CompareStrings(left, right) == 0;
    case JsonType::kArray:
      return ArraysEqual(left.get_array(), right.get_array());
    case JsonType::kObject:
      return ObjectsEqual(left.get_object(), right.get_object());
  }
  return false;
}

Value Compare(const Value& left, QueryCompareOp op, const Value& right) {
  if (!left || !right) return std::nullopt;
  const JsonType type = TypeOf(*left);
  if (type != TypeOf(*right)) return std::nullopt;
  int order = 0;  // left versus right
  switch (type) {
    case JsonType::kNull:
      break;
    case JsonType::kBool:
      order = Sign(static_cast<int>(left->get_bool()) - static_cast<int>(right->get_bool()));
      break;
    case JsonType::kNumber:
      order = Sign(NumberOf(*left) - NumberOf(*right));
      break;
    case JsonType::kString:
      order = CompareStrings(*left, *right);
      break;
    case JsonType::kArray:
    case JsonType::kObject:
      if (op == QueryCompareOp::kEq) return ValuesEqual(*left, *right);
      if (op == QueryCompareOp::kNe) return !ValuesEqual(*left, *right);
      return std::nullopt;
  }
  switch (op) {
    case QueryCompareOp::kEq:
      return order == 0;
    case QueryCompareOp::kNe:
      return order != 0;
    case QueryCompareOp::kLt:
      return order < 0;
    case QueryCompareOp::kLe:
      return order <= 0;
    case QueryCompareOp::kGt:
      return order > 0;
    case QueryCompareOp::kGe:
      return order >= 0;
  }
  return std::nullopt;
}

int CompareInTypeOrder(const Value& left, const Value& right) {
  // Ranks: undefined 0, null 1, false 2, true 3, number 4, string 5, array 6, object 7.
  const auto rank = [](const Value& value) {
    if (!value) return 0;
    switch (TypeOf(*value)) {
      case JsonType::kNull:
        return 1;
      case JsonType::kBool:
        return value->get_bool() ? 3 : 2;
      case JsonType::kNumber:
        return 4;
      case JsonType::kString:
        return 5;
      case JsonType::kArray:
        return 6;
      case JsonType::kObject:
        return 7;
    }
    return 0;
  };
  const int left_rank = rank(left);
  const int right_rank = rank(right);
  if (left_rank != right_rank) return Sign(left_rank - right_rank);
  if (left_rank == 4) return Sign(NumberOf(*left) - NumberOf(*right));
  if (left_rank == 5) return CompareStrings(*left, *right);
  return 0;
}

const ScalarFunction* FindScalarFunction(std::string_view upper_name) {
  for (const auto& [name, function] : kScalarFunctions) {
    if (name == upper_name) return &function;
  }
  return nullptr;
}

Value Aggregate(QueryAggregate aggregate, const std::vector<Value>& values) {
  switch (aggregate) {
    case QueryAggregate::kCount:
      return boost::json::value(static_cast<int64_t>(values.size()));
    case QueryAggregate::kSum:
      return Sum(values);
    case QueryAggregate::kAvg:
      return Average(values);
    case QueryAggregate::kMin:
      return Extreme(values, -1);
    case QueryAggregate::kMax:
      return Extreme(values, 1);
    case QueryAggregate::kNone:
      break;
  }
  return std::nullopt;
}

}  // namespace dtwin::query::testing
