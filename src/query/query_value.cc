// Comparison, ordering and logic over query values (see the header).
#include "query/query_value.h"

#include <compare>
#include <string_view>
#include <type_traits>

namespace dtwin::query {
namespace {

namespace json = boost::json;

// The ranks of ORDER BY's type order; also "same type" for comparisons (numbers share one).
enum class TypeRank : uint8_t { kUndefined, kNull, kBool, kNumber, kString, kArray, kObject };

TypeRank RankOf(const QueryValue& value) {
  if (!value.defined()) return TypeRank::kUndefined;
  switch (value.json().kind()) {
    case json::kind::null:
      return TypeRank::kNull;
    case json::kind::bool_:
      return TypeRank::kBool;
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return TypeRank::kNumber;
    case json::kind::string:
      return TypeRank::kString;
    case json::kind::array:
      return TypeRank::kArray;
    case json::kind::object:
      return TypeRank::kObject;
  }
  return TypeRank::kUndefined;
}

int Sign(std::partial_ordering order) {
  if (order == std::partial_ordering::less) return -1;
  if (order == std::partial_ordering::greater) return 1;
  return 0;  // equal, or unordered (NaN never reaches here: JSON has none)
}

// Numbers compare exactly when both are integers, as doubles otherwise.
int CompareNumbers(const json::value& a, const json::value& b) {
  if (a.is_int64() && b.is_int64()) return Sign(a.get_int64() <=> b.get_int64());
  if (a.is_uint64() && b.is_uint64()) return Sign(a.get_uint64() <=> b.get_uint64());
  return Sign(a.to_number<double>() <=> b.to_number<double>());
}

// Same-rank scalars: <0, 0, >0.
int CompareScalars(TypeRank rank, const json::value& a, const json::value& b) {
  switch (rank) {
    case TypeRank::kBool:
      return static_cast<int>(a.get_bool()) - static_cast<int>(b.get_bool());
    case TypeRank::kNumber:
      return CompareNumbers(a, b);
    case TypeRank::kString: {
      const int order = std::string_view(a.get_string()).compare(std::string_view(b.get_string()));
      return order < 0 ? -1 : (order > 0 ? 1 : 0);
    }
    default:
      return 0;  // null, and (for ordering) arrays and objects
  }
}

// Deep equality with numbers compared by value (1 == 1.0).
bool JsonEqual(const json::value& a, const json::value& b);

bool ArraysEqual(const json::array& a, const json::array& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!JsonEqual(a[i], b[i])) return false;
  }
  return true;
}

bool ObjectsEqual(const json::object& a, const json::object& b) {
  if (a.size() != b.size()) return false;
  for (const json::key_value_pair& member : a) {
    const json::value* other = b.if_contains(member.key());
    if (other == nullptr || !JsonEqual(member.value(), *other)) return false;
  }
  return true;
}

bool JsonEqual(const json::value& a, const json::value& b) {
  const TypeRank rank = RankOf(QueryValue::Borrowed(&a));
  if (rank != RankOf(QueryValue::Borrowed(&b))) return false;
  if (rank == TypeRank::kArray) return ArraysEqual(a.get_array(), b.get_array());
  if (rank == TypeRank::kObject) return ObjectsEqual(a.get_object(), b.get_object());
  return CompareScalars(rank, a, b) == 0;
}

}  // namespace

bool ValuesEqual(const QueryValue& a, const QueryValue& b) {
  return a.defined() && b.defined() && JsonEqual(a.json(), b.json());
}

QueryValue CompareValues(const QueryValue& a, QueryCompareOp op, const QueryValue& b) {
  const TypeRank rank = RankOf(a);
  if (rank == TypeRank::kUndefined || rank != RankOf(b)) return QueryValue();
  if (op == QueryCompareOp::kEq) return QueryValue::Bool(JsonEqual(a.json(), b.json()));
  if (op == QueryCompareOp::kNe) return QueryValue::Bool(!JsonEqual(a.json(), b.json()));
  if (rank == TypeRank::kArray || rank == TypeRank::kObject) return QueryValue();
  const int order = CompareScalars(rank, a.json(), b.json());
  switch (op) {
    case QueryCompareOp::kLt:
      return QueryValue::Bool(order < 0);
    case QueryCompareOp::kLe:
      return QueryValue::Bool(order <= 0);
    case QueryCompareOp::kGt:
      return QueryValue::Bool(order > 0);
    case QueryCompareOp::kGe:
      return QueryValue::Bool(order >= 0);
    default:
      return QueryValue();
  }
}

int OrderValues(const QueryValue& a, const QueryValue& b) {
  const TypeRank rank_a = RankOf(a);
  const TypeRank rank_b = RankOf(b);
  if (rank_a != rank_b) return rank_a < rank_b ? -1 : 1;
  if (rank_a == TypeRank::kUndefined) return 0;
  return CompareScalars(rank_a, a.json(), b.json());
}

namespace {

// -1 undefined (not a boolean), 0 false, 1 true.
int TruthOf(const QueryValue& value) {
  if (!value.defined() || !value.json().is_bool()) return -1;
  return value.json().get_bool() ? 1 : 0;
}

}  // namespace

QueryValue NotValue(const QueryValue& a) {
  const int truth = TruthOf(a);
  return truth < 0 ? QueryValue() : QueryValue::Bool(truth == 0);
}

QueryValue AndValues(const QueryValue& a, const QueryValue& b) {
  const int left = TruthOf(a);
  const int right = TruthOf(b);
  if (left == 0 || right == 0) return QueryValue::Bool(false);
  if (left < 0 || right < 0) return QueryValue();
  return QueryValue::Bool(true);
}

QueryValue OrValues(const QueryValue& a, const QueryValue& b) {
  const int left = TruthOf(a);
  const int right = TruthOf(b);
  if (left == 1 || right == 1) return QueryValue::Bool(true);
  if (left < 0 || right < 0) return QueryValue();
  return QueryValue::Bool(false);
}

json::value LiteralJson(const QueryLiteral& literal) {
  return std::visit(
      [](const auto& value) -> json::value {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::nullptr_t>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, std::string>) {
          return json::string(value);
        } else {
          return value;
        }
      },
      literal);
}

}  // namespace dtwin::query
