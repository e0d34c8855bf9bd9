// Reference evaluator scope: see reference_scope.h.
#include "reference_scope.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace dtwin::query::testing {
namespace {

Value LiteralValue(const QueryLiteral& literal) {
  return std::visit(
      [](const auto& scalar) -> Value {
        if constexpr (std::is_same_v<std::decay_t<decltype(scalar)>, std::string>) {
          return boost::json::value(std::string_view(scalar));
        } else {
          return boost::json::value(scalar);
        }
      },
      literal);
}

bool IsStringLiteral(const QueryExpr& expr) {
  return expr.kind == QueryExprKind::kLiteral && std::holds_alternative<std::string>(expr.literal);
}

// The bare keyword `exact` of IS_OF_MODEL (any case: recorded traffic sends EXACT).
bool IsExactKeyword(const QueryExpr& expr) {
  if (expr.kind != QueryExprKind::kPath || expr.path.segments.size() != 1) return false;
  const std::string& word = expr.path.segments[0];
  return std::equal(
      word.begin(), word.end(), std::string_view("exact").begin(), std::string_view("exact").end(),
      [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

}  // namespace

Status ReferenceQueryError(size_t offset, std::string_view what) {
  return Status(ErrorCode::kSqlQueryError,
                "Query error at position " + std::to_string(offset + 1) + ": " + std::string(what));
}

std::string_view StringMember(const boost::json::object& document, std::string_view key) {
  const boost::json::value* member = document.if_contains(key);
  return member != nullptr && member->is_string() ? std::string_view(member->get_string()) : "";
}

std::string JoinedPath(const QueryPath& path) {
  std::string joined;
  for (const std::string& segment : path.segments) {
    joined += (joined.empty() ? "" : ".") + segment;
  }
  return joined;
}

Status ReferenceScope::Declare() {
  const bool twins = query_.collection == QueryCollection::kDigitalTwins;
  if (!query_.match || query_.alias) {
    // With MATCH, a FROM alias is one more twin collection, independent of the pattern.
    Result<size_t> from = Declare(query_.alias, twins, false, 0);
    if (!from.ok()) return from.status();
    layout_.from = *from;
  }
  for (const QueryJoin& join : query_.joins) {
    ReferenceJoinSlots slots;
    const std::optional<size_t> source = SlotOfAlias(join.source_alias);
    if (!source) {
      return ReferenceQueryError(join.offset,
                                 "JOIN source '" + join.source_alias + "' is not declared before");
    }
    if (!layout_.slots[*source].twin) {
      return ReferenceQueryError(
          join.offset, "JOIN source '" + join.source_alias + "' is a relationship, not a twin");
    }
    slots.source = *source;
    Result<size_t> target = Declare(join.target_alias, true, false, join.offset);
    if (!target.ok()) return target.status();
    slots.target = *target;
    Result<size_t> relationship = Declare(join.relationship_alias, false, false, join.offset);
    if (!relationship.ok()) return relationship.status();
    slots.relationship = *relationship;
    layout_.joins.push_back(slots);
  }
  if (!query_.match) return Status::Ok();
  const QueryMatch& match = *query_.match;
  for (size_t i = 0; i < match.nodes.size(); ++i) {
    Result<size_t> node = Declare(match.nodes[i].alias, true, true, match.nodes[i].offset);
    if (!node.ok()) return node.status();
    layout_.nodes.push_back(*node);
    if (i == match.edges.size()) break;
    const QueryMatchEdge& edge = match.edges[i];
    if (edge.max_hops > 1) {
      layout_.edges.push_back(kNoSlot);
      continue;
    }
    Result<size_t> relationship = Declare(edge.relationship_alias, false, false, edge.offset);
    if (!relationship.ok()) return relationship.status();
    layout_.edges.push_back(*relationship);
  }
  return Status::Ok();
}

Result<size_t> ReferenceScope::Declare(const std::optional<std::string>& alias, bool twin,
                                       bool match_node, size_t offset) {
  if (alias) {
    if (std::optional<size_t> existing = SlotOfAlias(*alias)) {
      if (match_node && layout_.slots[*existing].match_node) return *existing;
      return ReferenceQueryError(offset, "alias '" + *alias + "' is declared twice");
    }
  }
  layout_.slots.push_back(ReferenceSlot{alias, twin, match_node});
  return layout_.slots.size() - 1;
}

std::optional<size_t> ReferenceScope::SlotOfAlias(std::string_view alias) const {
  for (size_t slot = 0; slot < layout_.slots.size(); ++slot) {
    if (layout_.slots[slot].alias == alias) return slot;
  }
  return std::nullopt;
}

bool ReferenceScope::IsTwinAlias(std::string_view alias) const {
  const std::optional<size_t> slot = SlotOfAlias(alias);
  return slot && layout_.slots[*slot].twin;
}

bool ReferenceScope::BarePaths() const { return single_collection() && !query_.alias; }

const boost::json::object& ReferenceScope::Document(size_t slot, const Binding& binding) const {
  return layout_.slots[slot].twin ? data_.twins[binding[slot]] : data_.relationships[binding[slot]];
}

Result<ValueFunction> ReferenceScope::CompilePath(const QueryPath& path) const {
  size_t slot = layout_.from;
  auto first_property = path.segments.begin();
  if (!BarePaths()) {
    const std::optional<size_t> found = SlotOfAlias(path.segments[0]);
    if (!found) {
      return ReferenceQueryError(path.offset,
                                 "'" + JoinedPath(path) + "' does not start with a declared alias");
    }
    slot = *found;
    ++first_property;
  }
  std::vector<std::string> properties(first_property, path.segments.end());
  return ValueFunction([this, slot, properties](const Binding& binding) -> Value {
    const boost::json::object& document = Document(slot, binding);
    if (properties.empty()) return boost::json::value(document);
    const boost::json::object* object = &document;
    const boost::json::value* at = nullptr;
    for (const std::string& property : properties) {
      if (object == nullptr) return std::nullopt;  // stepping into a non-object
      at = object->if_contains(property);
      if (at == nullptr) return std::nullopt;
      object = at->if_object();
    }
    return *at;
  });
}

Result<ValueFunction> ReferenceScope::Compile(const QueryExpr& expr) const {
  std::vector<ValueFunction> children;
  if (expr.kind != QueryExprKind::kCall && expr.kind != QueryExprKind::kIn &&
      expr.kind != QueryExprKind::kNotIn) {
    for (const QueryExprPtr& child : expr.children) {
      Result<ValueFunction> compiled = Compile(*child);
      if (!compiled.ok()) return compiled;
      children.push_back(std::move(compiled).value());
    }
  }
  switch (expr.kind) {
    case QueryExprKind::kLiteral:
      return ValueFunction([value = LiteralValue(expr.literal)](const Binding&) { return value; });
    case QueryExprKind::kPath:
      return CompilePath(expr.path);
    case QueryExprKind::kCall:
      return CompileCall(expr);
    case QueryExprKind::kList:
      return ReferenceQueryError(expr.offset, "a list may only follow IN or NIN");
    case QueryExprKind::kCompare:
      return ValueFunction([children, op = expr.op](const Binding& binding) {
        return Compare(children[0](binding), op, children[1](binding));
      });
    case QueryExprKind::kIn:
    case QueryExprKind::kNotIn:
      return CompileIn(expr);
    case QueryExprKind::kAnd:
      return ValueFunction([children](const Binding& binding) {
        return And(children[0](binding), children[1](binding));
      });
    case QueryExprKind::kOr:
      return ValueFunction([children](const Binding& binding) {
        return Or(children[0](binding), children[1](binding));
      });
    case QueryExprKind::kNot:
      return ValueFunction(
          [children](const Binding& binding) { return Not(children[0](binding)); });
  }
  return ReferenceQueryError(expr.offset, "unknown expression");
}

Result<ValueFunction> ReferenceScope::CompileIn(const QueryExpr& expr) const {
  Result<ValueFunction> left = Compile(*expr.children[0]);
  if (!left.ok()) return left;
  std::vector<boost::json::value> items;
  for (const QueryExprPtr& item : expr.children[1]->children) {
    items.push_back(*LiteralValue(item->literal));
  }
  const bool negate = expr.kind == QueryExprKind::kNotIn;
  return ValueFunction([left = std::move(left).value(), items,
                        negate](const Binding& binding) -> Value {
    const Value value = left(binding);
    if (!value) return std::nullopt;
    const bool found = std::any_of(items.begin(), items.end(), [&](const boost::json::value& item) {
      return ValuesEqual(*value, item);
    });
    return found != negate;
  });
}

Result<ValueFunction> ReferenceScope::CompileCall(const QueryExpr& call) const {
  if (call.function_name == "IS_OF_MODEL") return CompileIsOfModel(call);
  const ScalarFunction* function = FindScalarFunction(call.function_name);
  if (function == nullptr) {
    return ReferenceQueryError(call.offset, "unknown function " + call.function_name + "()");
  }
  if (call.children.size() != function->arity) {
    return ReferenceQueryError(call.offset,
                               call.function_name + "() takes " + std::to_string(function->arity) +
                                   " argument(s), not " + std::to_string(call.children.size()));
  }
  std::vector<ValueFunction> arguments;
  for (const QueryExprPtr& child : call.children) {
    Result<ValueFunction> argument = Compile(*child);
    if (!argument.ok()) return argument;
    arguments.push_back(std::move(argument).value());
  }
  return ValueFunction([arguments, function](const Binding& binding) {
    std::vector<Value> values;
    for (const ValueFunction& argument : arguments) values.push_back(argument(binding));
    return function->evaluate(values);
  });
}

// IS_OF_MODEL([alias,] 'model' [, exact])
Result<ValueFunction> ReferenceScope::CompileIsOfModel(const QueryExpr& call) const {
  const std::vector<QueryExprPtr>& arguments = call.children;
  size_t slot = layout_.from;
  size_t next = 0;  // the argument holding the model id
  if (!arguments.empty() && arguments[0]->kind == QueryExprKind::kPath) {
    const QueryPath& path = arguments[0]->path;
    std::optional<size_t> found;
    if (!BarePaths() && path.segments.size() == 1) found = SlotOfAlias(path.segments[0]);
    if (!found) {
      return ReferenceQueryError(arguments[0]->offset,
                                 "IS_OF_MODEL's first argument '" + JoinedPath(path) +
                                     "' is neither a twin alias nor a model id");
    }
    slot = *found;
    next = 1;
  } else if (!single_collection()) {
    return ReferenceQueryError(call.offset,
                               "IS_OF_MODEL needs a twin alias as its first argument in a query "
                               "with JOIN or MATCH");
  }
  if (!layout_.slots[slot].twin) {
    return ReferenceQueryError(call.offset, "IS_OF_MODEL cannot be applied to relationships");
  }
  if (next >= arguments.size() || !IsStringLiteral(*arguments[next])) {
    return ReferenceQueryError(call.offset, "IS_OF_MODEL expects a model id as a string");
  }
  const std::string& model = std::get<std::string>(arguments[next]->literal);
  if (arguments.size() > next + 2 ||
      (arguments.size() == next + 2 && !IsExactKeyword(*arguments[next + 1]))) {
    return ReferenceQueryError(call.offset,
                               "IS_OF_MODEL takes ([alias,] 'model id' [, exact]) arguments");
  }
  const bool exact = arguments.size() == next + 2;
  std::vector<std::string> models = {model};
  if (!exact && data_.model_and_descendants) models = data_.model_and_descendants(model);
  return ValueFunction([this, slot, models](const Binding& binding) -> Value {
    const boost::json::value* metadata = Document(slot, binding).if_contains("$metadata");
    const boost::json::value* twin_model = metadata != nullptr && metadata->is_object()
                                               ? metadata->get_object().if_contains("$model")
                                               : nullptr;
    if (twin_model == nullptr || !twin_model->is_string()) return false;
    return std::find(models.begin(), models.end(), std::string_view(twin_model->get_string())) !=
           models.end();
  });
}

Status ReferenceScope::CheckAnchored() const {
  if (single_collection() || data_.allow_unanchored_traversals) return Status::Ok();
  if (query_.where && IsAnchor(*query_.where)) return Status::Ok();
  const size_t offset = query_.match ? query_.match->offset : query_.joins[0].offset;
  return ReferenceQueryError(offset,
                             "a query with JOIN or MATCH must filter some twin by $dtId: add "
                             "<alias>.$dtId = '<id>' or <alias>.$dtId IN [...] to WHERE as a "
                             "top-level AND condition");
}

bool ReferenceScope::IsAnchor(const QueryExpr& expr) const {
  const auto is_twin_id = [this](const QueryExpr& operand) {
    return operand.kind == QueryExprKind::kPath && operand.path.segments.size() == 2 &&
           operand.path.segments[1] == "$dtId" && IsTwinAlias(operand.path.segments[0]);
  };
  switch (expr.kind) {
    case QueryExprKind::kAnd:
      return IsAnchor(*expr.children[0]) || IsAnchor(*expr.children[1]);
    case QueryExprKind::kCompare:
      return expr.op == QueryCompareOp::kEq &&
             ((is_twin_id(*expr.children[0]) && IsStringLiteral(*expr.children[1])) ||
              (IsStringLiteral(*expr.children[0]) && is_twin_id(*expr.children[1])));
    case QueryExprKind::kIn: {
      const std::vector<QueryExprPtr>& items = expr.children[1]->children;
      return is_twin_id(*expr.children[0]) &&
             std::all_of(items.begin(), items.end(),
                         [](const QueryExprPtr& item) { return IsStringLiteral(*item); });
    }
    default:
      return false;
  }
}

}  // namespace dtwin::query::testing
