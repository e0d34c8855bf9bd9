// The binder (see query_binder.h): collections first (FROM, JOIN, MATCH), then WHERE, then
// the select list, GROUP BY and ORDER BY, each resolving names against the collections.
#include "query/query_binder.h"

#include <algorithm>
#include <array>
#include <utility>

#include "query/query_value.h"

namespace dtwin::query {
namespace {

// Slots are tracked in 64-bit masks.
constexpr size_t kMaxSlots = 64;

std::string Quoted(std::string_view name) { return "'" + std::string(name) + "'"; }

std::string Joined(const std::vector<std::string>& segments) {
  std::string text;
  for (const std::string& segment : segments) {
    if (!text.empty()) text += '.';
    text += segment;
  }
  return text;
}

struct FunctionSpec {
  std::string_view name;
  QueryFunction function;
  size_t arguments;
};

constexpr std::array kFunctions = {
    FunctionSpec{"IS_DEFINED", QueryFunction::kIsDefined, 1},
    FunctionSpec{"IS_NULL", QueryFunction::kIsNull, 1},
    FunctionSpec{"IS_BOOL", QueryFunction::kIsBool, 1},
    FunctionSpec{"IS_NUMBER", QueryFunction::kIsNumber, 1},
    FunctionSpec{"IS_STRING", QueryFunction::kIsString, 1},
    FunctionSpec{"IS_OBJECT", QueryFunction::kIsObject, 1},
    FunctionSpec{"IS_PRIMITIVE", QueryFunction::kIsPrimitive, 1},
    FunctionSpec{"STARTSWITH", QueryFunction::kStartsWith, 2},
    FunctionSpec{"STARTS_WITH", QueryFunction::kStartsWith, 2},
    FunctionSpec{"ENDSWITH", QueryFunction::kEndsWith, 2},
    FunctionSpec{"ENDS_WITH", QueryFunction::kEndsWith, 2},
    FunctionSpec{"CONTAINS", QueryFunction::kContains, 2},
    FunctionSpec{"ARRAY_CONTAINS", QueryFunction::kArrayContains, 2},
};

bool SamePath(const BoundPath& a, const BoundPath& b) {
  return a.slot == b.slot && a.segments == b.segments;
}

// One BindQuery call. Not thread-safe; lives for the call.
class Binder {
 public:
  Binder(const Query& query, const QueryCatalog& catalog) : query_(query), catalog_(catalog) {}

  Result<BoundQuery> Bind() {
    bound_.collection = query_.collection;
    bound_.traversal = query_.match.has_value() || !query_.joins.empty();
    Status status = query_.match ? BindMatch(*query_.match) : BindFromAndJoins();
    if (status.ok() && query_.where) status = BindWhere(*query_.where);
    if (status.ok()) status = BindSelect();
    if (status.ok()) status = BindGroupBy();
    if (status.ok()) status = BindOrderBy();
    if (!status.ok()) return status;
    return std::move(bound_);
  }

 private:
  // ---- collections ----

  int FindSlot(std::string_view name) const {
    if (name.empty()) return -1;
    for (size_t i = 0; i < bound_.slots.size(); ++i) {
      if (bound_.slots[i].name == name) return static_cast<int>(i);
    }
    return -1;
  }

  // A new slot; named slots must not reuse a name.
  Result<int> AddSlot(std::string name, SlotKind kind, size_t offset) {
    if (FindSlot(name) >= 0) {
      return QueryMeaningError(offset, "the alias " + Quoted(name) + " is declared twice");
    }
    if (bound_.slots.size() == kMaxSlots) {
      return QueryMeaningError(
          offset, "too many collections in one query (at most " + std::to_string(kMaxSlots) + ")");
    }
    bound_.slots.push_back(Slot{std::move(name), kind});
    return static_cast<int>(bound_.slots.size() - 1);
  }

  Status BindFromAndJoins() {
    const SlotKind kind = query_.collection == QueryCollection::kRelationships
                              ? SlotKind::kRelationship
                              : SlotKind::kTwin;
    Result<int> from = AddSlot(query_.alias.value_or(""), kind, 0);
    if (!from.ok()) return from.status();
    for (const QueryJoin& join : query_.joins) {
      const int source = FindSlot(join.source_alias);
      if (source < 0 || bound_.slots[source].kind != SlotKind::kTwin) {
        return QueryMeaningError(join.offset, "JOIN ... RELATED " + join.source_alias + "." +
                                                  join.relationship_name + ": " +
                                                  Quoted(join.source_alias) +
                                                  " is not a twin collection declared before it");
      }
      Result<int> target = AddSlot(join.target_alias, SlotKind::kTwin, join.target_offset);
      if (!target.ok()) return target.status();
      Result<int> relationship = AddSlot(join.relationship_alias.value_or(""),
                                         SlotKind::kRelationship, join.relationship_alias_offset);
      if (!relationship.ok()) return relationship.status();
      BoundEdge edge;
      edge.source_slot = source;
      edge.target_slot = *target;
      edge.names = {join.relationship_name};
      edge.relationship_slot = *relationship;
      bound_.edges.push_back(std::move(edge));
    }
    return Status::Ok();
  }

  // A MATCH node: a named node seen before is the same slot (the pattern closes a cycle).
  Result<int> NodeSlot(const QueryMatchNode& node) {
    if (node.alias) {
      const int existing = FindSlot(*node.alias);
      if (existing >= 0) {
        if (bound_.slots[existing].kind != SlotKind::kTwin) {
          return QueryMeaningError(node.offset,
                                   Quoted(*node.alias) + " names a relationship, not a twin");
        }
        return existing;
      }
    }
    return AddSlot(node.alias.value_or(""), SlotKind::kTwin, node.offset);
  }

  Status BindMatch(const QueryMatch& match) {
    bound_.distinct_relationships = true;
    std::vector<int> nodes;
    for (const QueryMatchNode& node : match.nodes) {
      Result<int> slot = NodeSlot(node);
      if (!slot.ok()) return slot.status();
      nodes.push_back(*slot);
    }
    if (query_.alias &&
        std::find(nodes.begin(), nodes.end(), FindSlot(*query_.alias)) == nodes.end()) {
      return QueryMeaningError(match.offset, "FROM DIGITALTWINS " + *query_.alias +
                                                 ": with MATCH, the alias must name a node of "
                                                 "the pattern");
    }
    for (size_t i = 0; i < match.edges.size(); ++i) {
      const QueryMatchEdge& written = match.edges[i];
      BoundEdge edge;
      const bool backward = written.direction == QueryEdgeDirection::kBackward;
      edge.source_slot = backward ? nodes[i + 1] : nodes[i];
      edge.target_slot = backward ? nodes[i] : nodes[i + 1];
      edge.either_direction = written.direction == QueryEdgeDirection::kEither;
      edge.names = written.relationship_names;
      edge.min_hops = written.min_hops;
      edge.max_hops = written.max_hops;
      if (edge.max_hops == 1) {
        Result<int> relationship = AddSlot(written.relationship_alias.value_or(""),
                                           SlotKind::kRelationship, written.offset);
        if (!relationship.ok()) return relationship.status();
        edge.relationship_slot = *relationship;
      } else if (written.relationship_alias) {
        return QueryMeaningError(written.offset, "a relationship variable needs a single-hop edge");
      }
      bound_.edges.push_back(std::move(edge));
    }
    return Status::Ok();
  }

  bool HasNamedSlots() const {
    return std::any_of(bound_.slots.begin(), bound_.slots.end(),
                       [](const Slot& slot) { return !slot.name.empty(); });
  }

  // alias.segments..., or (when no collection is named) segments of the one collection.
  Result<BoundPath> ResolvePath(const QueryPath& path) const {
    BoundPath bound;
    if (!HasNamedSlots()) {
      bound.slot = 0;
      bound.segments = path.segments;
      return bound;
    }
    const int slot = FindSlot(path.segments.front());
    if (slot < 0) {
      std::string declared;
      for (const Slot& candidate : bound_.slots) {
        if (candidate.name.empty()) continue;
        declared += declared.empty() ? "" : ", ";
        declared += candidate.name;
      }
      return QueryMeaningError(path.offset, Quoted(Joined(path.segments)) +
                                                " does not start with a declared alias (" +
                                                declared + ")");
    }
    bound.slot = slot;
    bound.segments.assign(path.segments.begin() + 1, path.segments.end());
    return bound;
  }

  // ---- WHERE ----

  Status BindWhere(const QueryExpr& where) {
    std::vector<const QueryExpr*> conjuncts;
    CollectConjuncts(where, &conjuncts);
    for (const QueryExpr* conjunct : conjuncts) {
      Result<BoundExprPtr> bound = BindExpr(*conjunct);
      if (!bound.ok()) return bound.status();
      bound_.conjuncts.push_back(std::move(bound).value());
    }
    return Status::Ok();
  }

  static void CollectConjuncts(const QueryExpr& expr, std::vector<const QueryExpr*>* out) {
    if (expr.kind == QueryExprKind::kAnd) {
      CollectConjuncts(*expr.children[0], out);
      CollectConjuncts(*expr.children[1], out);
    } else {
      out->push_back(&expr);
    }
  }

  static BoundExprPtr Make(BoundExprKind kind) {
    auto expr = std::make_unique<BoundExpr>();
    expr->kind = kind;
    return expr;
  }

  Status AdoptChildren(const QueryExpr& expr, BoundExpr* bound) {
    for (const QueryExprPtr& child : expr.children) {
      Result<BoundExprPtr> operand = BindExpr(*child);
      if (!operand.ok()) return operand.status();
      bound->slots |= operand.value()->slots;
      bound->children.push_back(std::move(operand).value());
    }
    return Status::Ok();
  }

  Result<BoundExprPtr> BindExpr(const QueryExpr& expr) {
    switch (expr.kind) {
      case QueryExprKind::kLiteral: {
        BoundExprPtr bound = Make(BoundExprKind::kLiteral);
        bound->literal = LiteralJson(expr.literal);
        return bound;
      }
      case QueryExprKind::kPath: {
        Result<BoundPath> path = ResolvePath(expr.path);
        if (!path.ok()) return path.status();
        BoundExprPtr bound = Make(BoundExprKind::kPath);
        bound->path = std::move(path).value();
        bound->slots = uint64_t{1} << bound->path.slot;
        return bound;
      }
      case QueryExprKind::kIn:
      case QueryExprKind::kNotIn: {
        BoundExprPtr bound =
            Make(expr.kind == QueryExprKind::kIn ? BoundExprKind::kIn : BoundExprKind::kNotIn);
        Result<BoundExprPtr> operand = BindExpr(*expr.children[0]);
        if (!operand.ok()) return operand.status();
        bound->slots = operand.value()->slots;
        bound->children.push_back(std::move(operand).value());
        for (const QueryExprPtr& item : expr.children[1]->children) {
          bound->list.push_back(LiteralJson(item->literal));
        }
        return bound;
      }
      case QueryExprKind::kCall:
        return BindCall(expr);
      case QueryExprKind::kList:
        return QueryMeaningError(expr.offset, "a list can only follow IN or NIN");
      case QueryExprKind::kCompare:
      case QueryExprKind::kAnd:
      case QueryExprKind::kOr:
      case QueryExprKind::kNot:
        break;
    }
    static constexpr std::pair<QueryExprKind, BoundExprKind> kOperators[] = {
        {QueryExprKind::kCompare, BoundExprKind::kCompare},
        {QueryExprKind::kAnd, BoundExprKind::kAnd},
        {QueryExprKind::kOr, BoundExprKind::kOr},
        {QueryExprKind::kNot, BoundExprKind::kNot}};
    BoundExprPtr bound;
    for (const auto& [from, to] : kOperators) {
      if (from == expr.kind) bound = Make(to);
    }
    bound->op = expr.op;
    if (Status status = AdoptChildren(expr, bound.get()); !status.ok()) return status;
    return bound;
  }

  Result<BoundExprPtr> BindCall(const QueryExpr& call) {
    if (call.function_name == "IS_OF_MODEL") return BindIsOfModel(call);
    for (const FunctionSpec& spec : kFunctions) {
      if (spec.name != call.function_name) continue;
      if (call.children.size() != spec.arguments) {
        return QueryMeaningError(call.offset, std::string(spec.name) + " takes " +
                                                  std::to_string(spec.arguments) + " argument" +
                                                  (spec.arguments == 1 ? "" : "s") + ", not " +
                                                  std::to_string(call.children.size()));
      }
      BoundExprPtr bound = Make(BoundExprKind::kFunction);
      bound->function = spec.function;
      if (Status status = AdoptChildren(call, bound.get()); !status.ok()) return status;
      return bound;
    }
    std::string known = "IS_OF_MODEL";
    for (const FunctionSpec& spec : kFunctions) known += ", " + std::string(spec.name);
    return QueryMeaningError(call.offset,
                             "unknown function " + call.function_name + " (known: " + known + ")");
  }

  static bool IsBareWord(const QueryExpr& expr, std::string_view upper) {
    if (expr.kind != QueryExprKind::kPath || expr.path.segments.size() != 1) return false;
    const std::string& word = expr.path.segments[0];
    return std::equal(word.begin(), word.end(), upper.begin(), upper.end(), [](char a, char b) {
      return std::toupper(static_cast<unsigned char>(a)) == b;
    });
  }

  // IS_OF_MODEL([alias,] 'dtmi' [, exact])
  Result<BoundExprPtr> BindIsOfModel(const QueryExpr& call) {
    std::vector<const QueryExpr*> arguments;
    for (const QueryExprPtr& child : call.children) arguments.push_back(child.get());
    const bool exact = !arguments.empty() && IsBareWord(*arguments.back(), "EXACT");
    if (exact) arguments.pop_back();
    const QueryExpr* alias = nullptr;
    if (arguments.size() == 2) {
      alias = arguments.front();
      arguments.erase(arguments.begin());
    }
    const bool model_is_string = arguments.size() == 1 &&
                                 arguments[0]->kind == QueryExprKind::kLiteral &&
                                 std::holds_alternative<std::string>(arguments[0]->literal);
    if (!model_is_string) {
      return QueryMeaningError(call.offset, "IS_OF_MODEL takes ([alias,] 'model id' [, exact])");
    }
    Result<int> slot = IsOfModelSlot(call, alias);
    if (!slot.ok()) return slot.status();
    BoundExprPtr bound = Make(BoundExprKind::kIsOfModel);
    bound->path.slot = *slot;
    bound->slots = uint64_t{1} << *slot;
    const std::string& model = std::get<std::string>(arguments[0]->literal);
    bound->models = exact ? std::vector<std::string>{model} : catalog_.model_and_descendants(model);
    std::sort(bound->models.begin(), bound->models.end());
    bound->models.erase(std::unique(bound->models.begin(), bound->models.end()),
                        bound->models.end());
    return bound;
  }

  Result<int> IsOfModelSlot(const QueryExpr& call, const QueryExpr* alias) const {
    if (alias != nullptr) {
      const int slot = alias->kind == QueryExprKind::kPath && alias->path.segments.size() == 1
                           ? FindSlot(alias->path.segments[0])
                           : -1;
      if (slot < 0) {
        return QueryMeaningError(alias->offset,
                                 "the first argument of IS_OF_MODEL must be a declared alias");
      }
      if (bound_.slots[slot].kind != SlotKind::kTwin) {
        return QueryMeaningError(alias->offset, "IS_OF_MODEL applies to twins, not relationships");
      }
      return slot;
    }
    int twin_slots = 0;
    int only = -1;
    for (size_t i = 0; i < bound_.slots.size(); ++i) {
      if (bound_.slots[i].kind != SlotKind::kTwin) continue;
      if (!bound_.slots[i].name.empty() || bound_.slots.size() == 1) {
        ++twin_slots;
        only = static_cast<int>(i);
      }
    }
    if (query_.collection == QueryCollection::kRelationships) {
      return QueryMeaningError(call.offset, "IS_OF_MODEL applies to twins, not relationships");
    }
    if (twin_slots != 1) {
      return QueryMeaningError(call.offset,
                               "with several collections IS_OF_MODEL needs the alias as its "
                               "first argument: IS_OF_MODEL(alias, 'model id')");
    }
    return only;
  }

  // ---- select list, GROUP BY, ORDER BY ----

  Status BindSelect() {
    bound_.top = query_.select.top;
    if (query_.select.kind == QuerySelectKind::kAll) {
      if (!query_.joins.empty() || query_.match) {
        return QueryMeaningError(0,
                                 "SELECT * cannot be used with JOIN or MATCH; select the "
                                 "aliases you want, e.g. SELECT T, CT");
      }
      if (!query_.group_by.empty()) {
        return QueryMeaningError(0, "SELECT * cannot be used with GROUP BY");
      }
      bound_.select_all = true;
      return Status::Ok();
    }
    for (const QueryProjection& projection : query_.select.projections) {
      BoundColumn column;
      column.aggregate = projection.aggregate;
      if (projection.aggregate != QueryAggregate::kCount) {
        Result<BoundPath> path = ResolvePath(projection.path);
        if (!path.ok()) return path.status();
        column.path = std::move(path).value();
      }
      if (projection.as_name) {
        column.name = *projection.as_name;
      } else if (projection.aggregate != QueryAggregate::kNone) {
        column.name = AggregateName(projection.aggregate);
      } else {
        column.name = projection.path.segments.back();
      }
      for (const BoundColumn& earlier : bound_.columns) {
        if (earlier.name == column.name) {
          return QueryMeaningError(
              projection.offset,
              "two result columns are named " + Quoted(column.name) + "; name one with AS");
        }
      }
      bound_.aggregated = bound_.aggregated || projection.aggregate != QueryAggregate::kNone;
      bound_.columns.push_back(std::move(column));
    }
    return Status::Ok();
  }

  Status BindGroupBy() {
    bound_.aggregated = bound_.aggregated || !query_.group_by.empty();
    for (const QueryPath& written : query_.group_by) {
      Result<BoundPath> path = ResolvePath(written);
      if (!path.ok()) return path.status();
      bound_.group_keys.push_back(std::move(path).value());
      bound_.group_columns.push_back(-1);
    }
    if (!bound_.aggregated) return Status::Ok();
    for (size_t c = 0; c < bound_.columns.size(); ++c) {
      const BoundColumn& column = bound_.columns[c];
      if (column.aggregate != QueryAggregate::kNone) continue;
      auto key = std::find_if(bound_.group_keys.begin(), bound_.group_keys.end(),
                              [&](const BoundPath& path) { return SamePath(path, column.path); });
      if (key == bound_.group_keys.end()) {
        return QueryMeaningError(query_.select.projections[c].offset,
                                 Quoted(column.name) + " is neither aggregated nor a GROUP BY key");
      }
      bound_.group_columns[key - bound_.group_keys.begin()] = static_cast<int>(c);
    }
    return Status::Ok();
  }

  int ColumnNamed(const QueryPath& path) const {
    if (path.segments.size() != 1) return -1;
    for (size_t c = 0; c < bound_.columns.size(); ++c) {
      if (bound_.columns[c].name == path.segments[0]) return static_cast<int>(c);
    }
    return -1;
  }

  Status BindOrderBy() {
    for (const QueryOrderKey& written : query_.order_by) {
      BoundOrderKey key;
      key.descending = written.descending;
      const bool names_alias = HasNamedSlots() && FindSlot(written.path.segments[0]) >= 0;
      key.column = names_alias ? -1 : ColumnNamed(written.path);
      if (key.column < 0) {
        Result<BoundPath> path = ResolvePath(written.path);
        if (!path.ok()) return path.status();
        key.path = std::move(path).value();
      }
      if (bound_.aggregated && key.column < 0) {
        for (size_t g = 0; g < bound_.group_keys.size(); ++g) {
          if (SamePath(bound_.group_keys[g], key.path)) key.column = bound_.group_columns[g];
        }
        if (key.column < 0) {
          return QueryMeaningError(written.path.offset,
                                   "ORDER BY in an aggregate query must name a result column");
        }
      }
      bound_.order_keys.push_back(std::move(key));
    }
    return Status::Ok();
  }

  const Query& query_;
  const QueryCatalog& catalog_;
  BoundQuery bound_;
};

}  // namespace

Status QueryMeaningError(size_t offset, std::string_view what) {
  return Status(
      ErrorCode::kSqlQueryError,
      "Invalid query at position " + std::to_string(offset + 1) + ": " + std::string(what));
}

Result<BoundQuery> BindQuery(const Query& query, const QueryCatalog& catalog) {
  return Binder(query, catalog).Bind();
}

}  // namespace dtwin::query
