// The expression tree of a parsed route filter. Built once by the parser, then only read
// (by any number of threads at once).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace dtwin {

struct FilterExpr;
using FilterExprPtr = std::unique_ptr<const FilterExpr>;

// The CloudEvents attributes a filter can name, plus the legacy `$eventType`.
enum class FilterAttribute : uint8_t {
  kType,
  kSource,
  kId,
  kSubject,
  kSpecVersion,
  kDataSchema,
  kDataContentType,
  kTime,
  kTraceParent,
  kLegacyEventType,
};

enum class FilterFunction : uint8_t { kStartsWith, kEndsWith, kContains };

enum class FilterCompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

struct LiteralExpr {
  std::variant<std::nullptr_t, bool, int64_t, uint64_t, double, std::string> value;
};

struct AttributeExpr {
  FilterAttribute attribute;
};

// $body.a.b -> {"a", "b"}; $body alone -> {} (the whole event data).
struct BodyPathExpr {
  std::vector<std::string> path;
};

struct CompareExpr {
  FilterCompareOp op;
  FilterExprPtr left;
  FilterExprPtr right;
};

// n-ary, so a long chain of ANDs is one node, not a deep tree.
struct LogicalExpr {
  bool is_and;
  std::vector<FilterExprPtr> operands;
};

struct NotExpr {
  FilterExprPtr operand;
};

struct CallExpr {
  FilterFunction function;
  std::vector<FilterExprPtr> arguments;
};

struct FilterExpr {
  std::variant<LiteralExpr, AttributeExpr, BodyPathExpr, CompareExpr, LogicalExpr, NotExpr,
               CallExpr>
      node;
  size_t offset = 0;  // byte offset in the filter text where the expression starts
};

}  // namespace dtwin
