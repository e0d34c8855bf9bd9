// Route filter evaluation over one event's attributes and data. Pure function of its
// arguments; thread-safe.
#include "events/route_filter_evaluator.h"

#include <boost/json/value.hpp>
#include <cmath>
#include <compare>
#include <optional>
#include <string_view>
#include <variant>

#include "events/route_filter.h"

namespace dtwin {

namespace {

// What an attribute or $body path that the event does not have evaluates to.
struct Missing {};

// An operand's value. Objects and arrays from the event data are kept by pointer; strings
// view the tree or the event.
using Value = std::variant<Missing, std::nullptr_t, bool, int64_t, uint64_t, double,
                           std::string_view, const boost::json::value*>;

Value FromJson(const boost::json::value& json) {
  switch (json.kind()) {
    case boost::json::kind::null:
      return nullptr;
    case boost::json::kind::bool_:
      return json.get_bool();
    case boost::json::kind::int64:
      return json.get_int64();
    case boost::json::kind::uint64:
      return json.get_uint64();
    case boost::json::kind::double_:
      return json.get_double();
    case boost::json::kind::string:
      return std::string_view(json.get_string());
    default:
      return &json;  // object or array
  }
}

// The event category of the service's 2020 preview, which `$eventType` still names. Only
// DigitalTwinTelemetryMessages and DigitalTwinLifecycleNotification appear in any source
// (the SDK samples); the other two follow the preview documentation's headings
// ("Digital twin change notifications", "Digital twin relationship change notifications").
std::optional<std::string_view> LegacyEventType(std::optional<std::string_view> type) {
  if (!type) return std::nullopt;
  if (*type == "microsoft.iot.telemetry") return "DigitalTwinTelemetryMessages";
  if (*type == "Microsoft.DigitalTwins.Twin.Create" ||
      *type == "Microsoft.DigitalTwins.Twin.Delete") {
    return "DigitalTwinLifecycleNotification";
  }
  if (*type == "Microsoft.DigitalTwins.Twin.Update") return "DigitalTwinChangeNotification";
  if (type->starts_with("Microsoft.DigitalTwins.Relationship.")) {
    return "DigitalTwinRelationshipChangeNotification";
  }
  return std::nullopt;
}

std::optional<std::string_view> AttributeOf(FilterAttribute attribute, const FilterInput& event) {
  switch (attribute) {
    case FilterAttribute::kType:
      return event.type;
    case FilterAttribute::kSource:
      return event.source;
    case FilterAttribute::kId:
      return event.id;
    case FilterAttribute::kSubject:
      return event.subject;
    case FilterAttribute::kSpecVersion:
      return event.specversion;
    case FilterAttribute::kDataSchema:
      return event.dataschema;
    case FilterAttribute::kDataContentType:
      return event.datacontenttype;
    case FilterAttribute::kTime:
      return event.time;
    case FilterAttribute::kTraceParent:
      return event.traceparent;
    case FilterAttribute::kLegacyEventType:
      return LegacyEventType(event.type);
  }
  return std::nullopt;
}

// Follows path through nested objects; anything else on the way (arrays included: the
// service cannot filter on fields inside arrays) means the path is missing.
Value BodyValue(const std::vector<std::string>& path, const FilterInput& event) {
  const boost::json::value* current = event.data;
  for (const std::string& name : path) {
    if (current == nullptr || !current->is_object()) return Missing{};
    current = current->get_object().if_contains(name);
  }
  if (current == nullptr) return Missing{};
  return FromJson(*current);
}

bool IsNumber(const Value& value) {
  return std::holds_alternative<int64_t>(value) || std::holds_alternative<uint64_t>(value) ||
         std::holds_alternative<double>(value);
}

// An integer against a double, exactly: converting a large integer to double would round it.
template <typename Integer>
std::partial_ordering CompareWithDouble(Integer integer, double number) {
  if (std::isnan(number)) return std::partial_ordering::unordered;
  if (number >= 0x1p64) return std::partial_ordering::less;
  if (number < -0x1p63) return std::partial_ordering::greater;
  const double whole = std::trunc(number);
  Integer whole_integer = 0;
  if constexpr (std::is_signed_v<Integer>) {
    if (whole >= 0x1p63) return std::partial_ordering::less;
    whole_integer = static_cast<Integer>(whole);
  } else {
    if (whole < 0) return std::partial_ordering::greater;
    whole_integer = static_cast<Integer>(whole);
  }
  if (integer != whole_integer) return integer <=> whole_integer;
  return 0.0 <=> number - whole;
}

std::partial_ordering CompareIntegers(int64_t left, uint64_t right) {
  if (left < 0) return std::partial_ordering::less;
  return static_cast<uint64_t>(left) <=> right;
}

// Both values must be numbers.
std::partial_ordering CompareNumbers(const Value& left, const Value& right) {
  return std::visit(
      [](auto l, auto r) -> std::partial_ordering {
        using L = decltype(l);
        using R = decltype(r);
        if constexpr (!std::is_arithmetic_v<L> || !std::is_arithmetic_v<R> ||
                      std::is_same_v<L, bool> || std::is_same_v<R, bool>) {
          return std::partial_ordering::unordered;  // not reached: callers pass numbers
        } else if constexpr (std::is_same_v<L, R>) {
          return l <=> r;
        } else if constexpr (std::is_same_v<R, double>) {
          return CompareWithDouble(l, r);
        } else if constexpr (std::is_same_v<L, double>) {
          return 0 <=> CompareWithDouble(r, l);
        } else if constexpr (std::is_same_v<L, int64_t>) {
          return CompareIntegers(l, r);
        } else {
          return 0 <=> CompareIntegers(r, l);
        }
      },
      left, right);
}

// Both values are present.
bool Equal(const Value& left, const Value& right) {
  if (IsNumber(left) && IsNumber(right)) return CompareNumbers(left, right) == 0;
  if (left.index() != right.index()) return false;
  if (const auto* l = std::get_if<bool>(&left)) return *l == std::get<bool>(right);
  if (const auto* l = std::get_if<std::string_view>(&left)) {
    return *l == std::get<std::string_view>(right);
  }
  if (const auto* l = std::get_if<const boost::json::value*>(&left)) {
    return **l == *std::get<const boost::json::value*>(right);
  }
  return std::holds_alternative<std::nullptr_t>(left);
}

bool Compare(FilterCompareOp op, const Value& left, const Value& right) {
  if (std::holds_alternative<Missing>(left) || std::holds_alternative<Missing>(right)) {
    return false;
  }
  if (op == FilterCompareOp::kEq) return Equal(left, right);
  if (op == FilterCompareOp::kNe) return !Equal(left, right);
  std::partial_ordering order = std::partial_ordering::unordered;
  if (IsNumber(left) && IsNumber(right)) {
    order = CompareNumbers(left, right);
  } else if (std::holds_alternative<std::string_view>(left) &&
             std::holds_alternative<std::string_view>(right)) {
    order = std::get<std::string_view>(left) <=> std::get<std::string_view>(right);
  }
  switch (op) {
    case FilterCompareOp::kLt:
      return order < 0;
    case FilterCompareOp::kLe:
      return order <= 0;
    case FilterCompareOp::kGt:
      return order > 0;
    case FilterCompareOp::kGe:
      return order >= 0;
    default:
      return false;  // = and != returned above
  }
}

bool Call(FilterFunction function, const Value& subject, const Value& part) {
  const auto* text = std::get_if<std::string_view>(&subject);
  const auto* piece = std::get_if<std::string_view>(&part);
  if (text == nullptr || piece == nullptr) return false;
  switch (function) {
    case FilterFunction::kStartsWith:
      return text->starts_with(*piece);
    case FilterFunction::kEndsWith:
      return text->ends_with(*piece);
    case FilterFunction::kContains:
      return text->find(*piece) != std::string_view::npos;
  }
  return false;
}

bool IsTrue(const Value& value) {
  const auto* boolean = std::get_if<bool>(&value);
  return boolean != nullptr && *boolean;
}

// Recursion depth is bounded by the parser's nesting limit.
Value Evaluate(const FilterExpr& expr, const FilterInput& event) {
  if (const auto* literal = std::get_if<LiteralExpr>(&expr.node)) {
    return std::visit(
        [](const auto& value) -> Value {
          if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::string>) {
            return std::string_view(value);
          } else {
            return value;
          }
        },
        literal->value);
  }
  if (const auto* attribute = std::get_if<AttributeExpr>(&expr.node)) {
    const std::optional<std::string_view> value = AttributeOf(attribute->attribute, event);
    return value ? Value(*value) : Value(Missing{});
  }
  if (const auto* body = std::get_if<BodyPathExpr>(&expr.node)) return BodyValue(body->path, event);
  if (const auto* compare = std::get_if<CompareExpr>(&expr.node)) {
    return Compare(compare->op, Evaluate(*compare->left, event), Evaluate(*compare->right, event));
  }
  if (const auto* logical = std::get_if<LogicalExpr>(&expr.node)) {
    for (const FilterExprPtr& operand : logical->operands) {
      // AND stops at the first false operand, OR at the first true one.
      if (IsTrue(Evaluate(*operand, event)) != logical->is_and) return !logical->is_and;
    }
    return logical->is_and;
  }
  if (const auto* negation = std::get_if<NotExpr>(&expr.node)) {
    return !IsTrue(Evaluate(*negation->operand, event));
  }
  const auto& call = std::get<CallExpr>(expr.node);
  return Call(call.function, Evaluate(*call.arguments[0], event),
              Evaluate(*call.arguments[1], event));
}

}  // namespace

bool EvaluateRouteFilter(const FilterExpr& root, const FilterInput& event) {
  return IsTrue(Evaluate(root, event));
}

}  // namespace dtwin
