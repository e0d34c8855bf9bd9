// Path lookup and expression evaluation (see query_evaluator.h).
#include "query/query_evaluator.h"

#include <algorithm>
#include <string_view>

#include "graph/graph_documents.h"

namespace dtwin::query {
namespace {

namespace json = boost::json;

// Follows segments[from...] through nested objects.
QueryValue Navigate(const json::value* value, const std::vector<std::string>& segments,
                    size_t from) {
  for (size_t i = from; i < segments.size(); ++i) {
    if (!value->is_object()) return QueryValue();
    value = value->get_object().if_contains(segments[i]);
    if (value == nullptr) return QueryValue();
  }
  return QueryValue::Borrowed(value);
}

// The same over an owned starting value.
QueryValue NavigateOwned(json::value value, const std::vector<std::string>& segments, size_t from) {
  QueryValue found = Navigate(&value, segments, from);
  return found.defined() ? QueryValue::Owned(found.json()) : QueryValue();
}

QueryValue LookupTwin(const graph::Twin& twin, const std::vector<std::string>& segments) {
  if (segments.empty()) return QueryValue::Owned(graph::ExpandTwinDocument(twin.document));
  // The graph drops $metadata entries that only repeat the twin's time; rebuild what the
  // path reads from the full document.
  if (segments[0] == "$metadata") {
    const json::value* metadata = twin.document.if_contains("$metadata");
    if (metadata == nullptr) return QueryValue();
    if (segments.size() == 1 || !metadata->is_object() ||
        !metadata->get_object().contains(segments[1])) {
      json::object full = graph::ExpandTwinDocument(twin.document);
      return NavigateOwned(std::move(full["$metadata"]), segments, 1);
    }
  }
  const json::value* member = twin.document.if_contains(segments[0]);
  return member == nullptr ? QueryValue() : Navigate(member, segments, 1);
}

QueryValue LookupRelationship(const graph::Relationship& relationship,
                              const std::vector<std::string>& segments) {
  if (segments.empty()) return QueryValue::Owned(graph::RelationshipDocument(relationship));
  const std::string_view first = segments[0];
  if (first.starts_with('$')) {
    const std::string* field = nullptr;
    if (first == "$relationshipId") field = &relationship.id;
    if (first == "$sourceId") field = &relationship.source_id;
    if (first == "$targetId") field = &relationship.target_id;
    if (first == "$relationshipName") field = &relationship.name;
    if (first == "$etag") field = &relationship.etag;
    if (field == nullptr || segments.size() > 1) return QueryValue();
    return QueryValue::Owned(json::string(*field));
  }
  const json::value* member = relationship.document.if_contains(first);
  return member == nullptr ? QueryValue() : Navigate(member, segments, 1);
}

bool IsNumber(const json::value& value) {
  return value.is_int64() || value.is_uint64() || value.is_double();
}

// STARTSWITH, ENDSWITH, CONTAINS: undefined unless both are strings.
QueryValue StringTest(QueryFunction function, const QueryValue& text, const QueryValue& part) {
  if (!text.defined() || !part.defined() || !text.json().is_string() || !part.json().is_string()) {
    return QueryValue();
  }
  const std::string_view haystack = text.json().get_string();
  const std::string_view needle = part.json().get_string();
  if (function == QueryFunction::kStartsWith) return QueryValue::Bool(haystack.starts_with(needle));
  if (function == QueryFunction::kEndsWith) return QueryValue::Bool(haystack.ends_with(needle));
  return QueryValue::Bool(haystack.find(needle) != std::string_view::npos);
}

QueryValue EvaluateFunction(const BoundExpr& expr, const Bindings& bindings) {
  const QueryValue first = Evaluate(*expr.children[0], bindings);
  const bool defined = first.defined();
  switch (expr.function) {
    case QueryFunction::kIsDefined:
      return QueryValue::Bool(defined);
    case QueryFunction::kIsNull:
      return QueryValue::Bool(defined && first.json().is_null());
    case QueryFunction::kIsBool:
      return QueryValue::Bool(defined && first.json().is_bool());
    case QueryFunction::kIsNumber:
      return QueryValue::Bool(defined && IsNumber(first.json()));
    case QueryFunction::kIsString:
      return QueryValue::Bool(defined && first.json().is_string());
    case QueryFunction::kIsObject:
      return QueryValue::Bool(defined && first.json().is_object());
    case QueryFunction::kIsPrimitive:
      return QueryValue::Bool(defined && !first.json().is_object() && !first.json().is_array());
    case QueryFunction::kStartsWith:
    case QueryFunction::kEndsWith:
    case QueryFunction::kContains:
      return StringTest(expr.function, first, Evaluate(*expr.children[1], bindings));
    case QueryFunction::kArrayContains: {
      const QueryValue item = Evaluate(*expr.children[1], bindings);
      if (!defined || !first.json().is_array() || !item.defined()) return QueryValue();
      const json::array& array = first.json().get_array();
      return QueryValue::Bool(std::any_of(array.begin(), array.end(), [&](const json::value& e) {
        return ValuesEqual(QueryValue::Borrowed(&e), item);
      }));
    }
  }
  return QueryValue();
}

QueryValue EvaluateIn(const BoundExpr& expr, const Bindings& bindings) {
  const QueryValue operand = Evaluate(*expr.children[0], bindings);
  if (!operand.defined()) return QueryValue();
  const bool found = std::any_of(expr.list.begin(), expr.list.end(), [&](const json::value& item) {
    return ValuesEqual(operand, QueryValue::Borrowed(&item));
  });
  return QueryValue::Bool(found == (expr.kind == BoundExprKind::kIn));
}

}  // namespace

QueryValue LookupPath(const BoundPath& path, const Bindings& bindings) {
  const SlotBinding& binding = bindings[path.slot];
  if (binding.twin != nullptr) return LookupTwin(*binding.twin, path.segments);
  if (binding.relationship != nullptr) {
    return LookupRelationship(*binding.relationship, path.segments);
  }
  return QueryValue();
}

QueryValue Evaluate(const BoundExpr& expr, const Bindings& bindings) {
  switch (expr.kind) {
    case BoundExprKind::kLiteral:
      return QueryValue::Borrowed(&expr.literal);
    case BoundExprKind::kPath:
      return LookupPath(expr.path, bindings);
    case BoundExprKind::kCompare:
      return CompareValues(Evaluate(*expr.children[0], bindings), expr.op,
                           Evaluate(*expr.children[1], bindings));
    case BoundExprKind::kIn:
    case BoundExprKind::kNotIn:
      return EvaluateIn(expr, bindings);
    case BoundExprKind::kAnd: {
      // Short-circuit on false: the common case for filters.
      QueryValue left = Evaluate(*expr.children[0], bindings);
      if (left.defined() && left.json().is_bool() && !left.json().get_bool()) return left;
      return AndValues(left, Evaluate(*expr.children[1], bindings));
    }
    case BoundExprKind::kOr: {
      QueryValue left = Evaluate(*expr.children[0], bindings);
      if (left.IsTrue()) return left;
      return OrValues(left, Evaluate(*expr.children[1], bindings));
    }
    case BoundExprKind::kNot:
      return NotValue(Evaluate(*expr.children[0], bindings));
    case BoundExprKind::kFunction:
      return EvaluateFunction(expr, bindings);
    case BoundExprKind::kIsOfModel: {
      const graph::Twin* twin = bindings[expr.path.slot].twin;
      return QueryValue::Bool(
          twin != nullptr &&
          std::binary_search(expr.models.begin(), expr.models.end(), twin->model_id));
    }
  }
  return QueryValue();
}

}  // namespace dtwin::query
