// Recursive-descent query parser: see query_parser.h. Conditions bind NOT tighter than AND,
// and AND tighter than OR, as in SQL.
#include "query/query_parser.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "query/query_lexer.h"

namespace dtwin::query {
namespace {

// Words that cannot name an alias or start a property path unless escaped as [[word]]:
// ADT's reserved list (reference/adt-api.md 7.1) plus the clause keywords it leaves out.
constexpr std::array kReservedWords = {
    "ALL",
    "AND",
    "AS",
    "ASC",
    "AVG",
    "BY",
    "COUNT",
    "DESC",
    "DEVICES_JOBS",
    "DEVICES_MODULES",
    "DEVICES",
    "ENDS_WITH",
    "FALSE",
    "FROM",
    "GROUP",
    "IN",
    "IS_BOOL",
    "IS_DEFINED",
    "IS_NULL",
    "IS_NUMBER",
    "IS_OBJECT",
    "IS_PRIMITIVE",
    "IS_STRING",
    "MAX",
    "MIN",
    "NOT",
    "NOT_IN",
    "NULL",
    "OR",
    "ORDER",
    "SELECT",
    "STARTS_WITH",
    "SUM",
    "TOP",
    "TRUE",
    "WHERE",
    "IS_OF_MODEL",
    "JOIN",
    "RELATED",
    "MATCH",
    "NIN",
    "DIGITALTWINS",
    "RELATIONSHIPS",
};

bool IsReserved(const QueryToken& token) {
  for (const char* word : kReservedWords) {
    if (token.IsKeyword(word)) return true;
  }
  return false;
}

// How an error names the token it stopped at.
std::string Found(const QueryToken& token) {
  if (token.kind == QueryTokenKind::kEnd) return "end of query";
  return "'" + std::string(token.text) + "'";
}

std::optional<QueryCompareOp> CompareOpOf(QueryTokenKind kind) {
  switch (kind) {
    case QueryTokenKind::kEq:
      return QueryCompareOp::kEq;
    case QueryTokenKind::kNe:
      return QueryCompareOp::kNe;
    case QueryTokenKind::kLt:
      return QueryCompareOp::kLt;
    case QueryTokenKind::kLe:
      return QueryCompareOp::kLe;
    case QueryTokenKind::kGt:
      return QueryCompareOp::kGt;
    case QueryTokenKind::kGe:
      return QueryCompareOp::kGe;
    default:
      return std::nullopt;
  }
}

QueryExprPtr MakeExpr(QueryExprKind kind, size_t offset) {
  auto expr = std::make_unique<QueryExpr>();
  expr->kind = kind;
  expr->offset = offset;
  return expr;
}

// One parse over a token list. Not thread-safe; lives for one ParseQuery call.
class QueryParser {
 public:
  explicit QueryParser(std::vector<QueryToken> tokens) : tokens_(std::move(tokens)) {}

  Result<Query> Parse() {
    Query query;
    if (Status status = ParseSelect(&query.select); !status.ok()) return status;
    if (Status status = ParseFrom(&query); !status.ok()) return status;
    const bool had_where = Peek().IsKeyword("WHERE");
    if (had_where) {
      Advance();
      Result<QueryExprPtr> where = ParseOr();
      if (!where.ok()) return std::move(where).status();
      query.where = std::move(where).value();
    }
    if (Peek().IsKeyword("GROUP")) {
      if (Status status = ParseGroupBy(&query); !status.ok()) return status;
    }
    if (Peek().IsKeyword("ORDER")) {
      if (Status status = ParseOrderBy(&query); !status.ok()) return status;
    }
    if (Peek().kind != QueryTokenKind::kEnd) {
      if (had_where && query.group_by.empty() && query.order_by.empty()) {
        return Expected("AND, OR, GROUP BY, ORDER BY or end of query");
      }
      if (had_where || !query.group_by.empty() || !query.order_by.empty()) {
        return Expected("end of query");
      }
      return Expected(query.collection == QueryCollection::kDigitalTwins && !query.match
                          ? "JOIN, WHERE, GROUP BY, ORDER BY or end of query"
                          : "WHERE, GROUP BY, ORDER BY or end of query");
    }
    return query;
  }

 private:
  // Counts one level of parentheses, NOT or function nesting for as long as it lives.
  class NestingGuard {
   public:
    explicit NestingGuard(size_t* depth) : depth_(depth) { ++*depth_; }
    ~NestingGuard() { --*depth_; }
    NestingGuard(const NestingGuard&) = delete;
    NestingGuard& operator=(const NestingGuard&) = delete;
    bool TooDeep() const { return *depth_ > kMaxQueryNesting; }

   private:
    size_t* depth_;
  };

  const QueryToken& Peek(size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const QueryToken& Advance() {
    const QueryToken& token = Peek();
    if (pos_ < tokens_.size() - 1) ++pos_;
    return token;
  }

  Status Expected(std::string_view what) const {
    return QuerySyntaxError(Peek().offset,
                            "expected " + std::string(what) + ", found " + Found(Peek()));
  }

  Status ExpectKind(QueryTokenKind kind, std::string_view what) {
    if (Peek().kind != kind) return Expected(what);
    Advance();
    return Status::Ok();
  }

  Status ExpectKeyword(std::string_view upper) {
    if (!Peek().IsKeyword(upper)) return Expected(upper);
    Advance();
    return Status::Ok();
  }

  // Whether the next token can be a name: an escaped word or an unreserved word.
  bool AtName() const {
    const QueryToken& token = Peek();
    return token.kind == QueryTokenKind::kEscapedWord ||
           (token.kind == QueryTokenKind::kWord && !IsReserved(token));
  }

  // An alias, property or relationship name; `what` says which, for the error.
  Result<std::string> ParseName(std::string_view what) {
    if (Peek().kind == QueryTokenKind::kWord && IsReserved(Peek())) {
      return QuerySyntaxError(Peek().offset, "expected " + std::string(what) + ", found '" +
                                                 std::string(Peek().text) +
                                                 "', a reserved word (escape it as [[" +
                                                 std::string(Peek().text) + "]])");
    }
    if (!AtName()) return Expected(what);
    return Advance().value;
  }

  // name ('.' segment)*; segments after a dot may be any word (T.contains, T.$metadata).
  Result<QueryPath> ParsePath(std::string_view what) {
    QueryPath path;
    path.offset = Peek().offset;
    Result<std::string> first = ParseName(what);
    if (!first.ok()) return std::move(first).status();
    path.segments.push_back(std::move(first).value());
    while (Peek().kind == QueryTokenKind::kDot) {
      Advance();
      if (Peek().kind != QueryTokenKind::kWord && Peek().kind != QueryTokenKind::kEscapedWord) {
        return Expected("a property name after '.'");
      }
      path.segments.push_back(Advance().value);
    }
    return path;
  }

  // The value of the next token when it is an integer (without consuming it).
  std::optional<int64_t> ReadInteger() const {
    const QueryToken& token = Peek();
    const char* last = token.text.data() + token.text.size();
    int64_t value = 0;
    const auto [end, error] = std::from_chars(token.text.data(), last, value);
    if (token.kind != QueryTokenKind::kNumber || error != std::errc() || end != last) {
      return std::nullopt;
    }
    return value;
  }

  Status ParseSelect(QuerySelect* select) {
    if (Status status = ExpectKeyword("SELECT"); !status.ok()) return status;
    if (Peek().IsKeyword("TOP")) {
      Advance();
      if (Status status = ExpectKind(QueryTokenKind::kLeftParen, "'(' after TOP"); !status.ok()) {
        return status;
      }
      std::optional<int64_t> count = ReadInteger();
      if (!count || *count < 1) return Expected("a positive integer in TOP()");
      Advance();
      select->top = count;
      if (Status status = ExpectKind(QueryTokenKind::kRightParen, "')'"); !status.ok()) {
        return status;
      }
      if (Peek().IsKeyword("FROM")) return Status::Ok();  // SELECT TOP(5) FROM: whole twins.
    }
    if (Peek().kind == QueryTokenKind::kStar) {
      Advance();
      return Status::Ok();
    }
    select->kind = QuerySelectKind::kProjections;
    while (true) {
      QueryProjection projection;
      projection.offset = Peek().offset;
      if (std::optional<QueryAggregate> aggregate = AggregateAt()) {
        projection.aggregate = *aggregate;
        if (Status status = ParseAggregateArgument(&projection); !status.ok()) return status;
      } else {
        Result<QueryPath> path = ParsePath("'*', COUNT(), TOP(n), an alias or a property");
        if (!path.ok()) return std::move(path).status();
        projection.path = std::move(path).value();
      }
      if (Peek().IsKeyword("AS")) {
        Advance();
        Result<std::string> name = ParseName("a column name after AS");
        if (!name.ok()) return std::move(name).status();
        projection.as_name = std::move(name).value();
      }
      select->projections.push_back(std::move(projection));
      if (Peek().kind != QueryTokenKind::kComma) return Status::Ok();
      Advance();
    }
  }

  // The aggregate function whose call starts at the next token, if any.
  std::optional<QueryAggregate> AggregateAt() const {
    if (Peek(1).kind != QueryTokenKind::kLeftParen) return std::nullopt;
    for (QueryAggregate aggregate :
         {QueryAggregate::kCount, QueryAggregate::kSum, QueryAggregate::kAvg, QueryAggregate::kMin,
          QueryAggregate::kMax}) {
      if (Peek().IsKeyword(AggregateName(aggregate))) return aggregate;
    }
    return std::nullopt;
  }

  // COUNT '(' ')' | (SUM|AVG|MIN|MAX) '(' path ')'
  Status ParseAggregateArgument(QueryProjection* projection) {
    const std::string name(Advance().text);
    Advance();  // '('
    if (projection->aggregate == QueryAggregate::kCount) {
      return ExpectKind(QueryTokenKind::kRightParen, "')' (COUNT takes no arguments)");
    }
    Result<QueryPath> path = ParsePath("a property to aggregate in " + name + "()");
    if (!path.ok()) return std::move(path).status();
    projection->path = std::move(path).value();
    return ExpectKind(QueryTokenKind::kRightParen, "')' (" + name + " takes one property)");
  }

  // GROUP BY path (',' path)*  (an extension)
  Status ParseGroupBy(Query* query) {
    Advance();
    if (Status status = ExpectKeyword("BY"); !status.ok()) return status;
    while (true) {
      Result<QueryPath> path = ParsePath("a property to group by");
      if (!path.ok()) return std::move(path).status();
      query->group_by.push_back(std::move(path).value());
      if (Peek().kind != QueryTokenKind::kComma) return Status::Ok();
      Advance();
    }
  }

  // ORDER BY path [ASC|DESC] (',' path [ASC|DESC])*  (an extension)
  Status ParseOrderBy(Query* query) {
    query->order_by_offset = Advance().offset;
    if (Status status = ExpectKeyword("BY"); !status.ok()) return status;
    while (true) {
      QueryOrderKey key;
      Result<QueryPath> path = ParsePath("a property or column to order by");
      if (!path.ok()) return std::move(path).status();
      key.path = std::move(path).value();
      if (Peek().IsKeyword("ASC") || Peek().IsKeyword("DESC")) {
        key.descending = Advance().IsKeyword("DESC");
      }
      query->order_by.push_back(std::move(key));
      if (Peek().kind != QueryTokenKind::kComma) return Status::Ok();
      Advance();
    }
  }

  Status ParseFrom(Query* query) {
    if (Status status = ExpectKeyword("FROM"); !status.ok()) return status;
    if (Peek().IsKeyword("DIGITALTWINS")) {
      query->collection = QueryCollection::kDigitalTwins;
    } else if (Peek().IsKeyword("RELATIONSHIPS")) {
      query->collection = QueryCollection::kRelationships;
    } else {
      return Expected("DIGITALTWINS or RELATIONSHIPS");
    }
    Advance();
    if (AtName()) query->alias = Advance().value;
    while (true) {
      if (Peek().IsKeyword("MATCH")) return ParseMatchClause(query);
      if (!Peek().IsKeyword("JOIN")) return Status::Ok();
      if (query->collection == QueryCollection::kRelationships) {
        return QuerySyntaxError(Peek().offset, "JOIN cannot be used with FROM RELATIONSHIPS");
      }
      if (query->joins.size() == kMaxQueryJoins) {
        return QuerySyntaxError(Peek().offset,
                                "too many JOINs (at most " + std::to_string(kMaxQueryJoins) + ")");
      }
      Result<QueryJoin> join = ParseJoin();
      if (!join.ok()) return std::move(join).status();
      query->joins.push_back(std::move(join).value());
    }
  }

  // MATCH pattern, after FROM DIGITALTWINS [alias] and instead of any JOIN.
  Status ParseMatchClause(Query* query) {
    if (query->collection == QueryCollection::kRelationships) {
      return QuerySyntaxError(Peek().offset, "MATCH cannot be used with FROM RELATIONSHIPS");
    }
    if (!query->joins.empty()) {
      return QuerySyntaxError(Peek().offset, "MATCH cannot be combined with JOIN");
    }
    Result<QueryMatch> match = ParseMatch();
    if (!match.ok()) return std::move(match).status();
    query->match = std::move(match).value();
    if (Peek().IsKeyword("JOIN")) {
      return QuerySyntaxError(Peek().offset, "JOIN cannot be combined with MATCH");
    }
    if (Peek().IsKeyword("MATCH")) {
      return QuerySyntaxError(Peek().offset, "only one MATCH is allowed per query");
    }
    return Status::Ok();
  }

  // MATCH node (edge node)*
  Result<QueryMatch> ParseMatch() {
    QueryMatch match;
    match.offset = Advance().offset;
    while (true) {
      Result<QueryMatchNode> node = ParseMatchNode();
      if (!node.ok()) return std::move(node).status();
      match.nodes.push_back(std::move(node).value());
      const bool at_edge =
          Peek().kind == QueryTokenKind::kMinus ||
          (Peek().kind == QueryTokenKind::kLt && Peek(1).kind == QueryTokenKind::kMinus);
      if (!at_edge) return match;
      Result<QueryMatchEdge> edge = ParseMatchEdge();
      if (!edge.ok()) return std::move(edge).status();
      match.edges.push_back(std::move(edge).value());
    }
  }

  // '(' [alias] ')'
  Result<QueryMatchNode> ParseMatchNode() {
    QueryMatchNode node;
    node.offset = Peek().offset;
    if (Status status = ExpectKind(QueryTokenKind::kLeftParen, "'(' to start a MATCH node");
        !status.ok()) {
      return status;
    }
    if (Peek().kind != QueryTokenKind::kRightParen) {
      Result<std::string> alias = ParseName("a twin alias or ')'");
      if (!alias.ok()) return std::move(alias).status();
      node.alias = std::move(alias).value();
    }
    if (Status status = ExpectKind(QueryTokenKind::kRightParen, "')'"); !status.ok()) {
      return status;
    }
    return node;
  }

  // -[cond]-> | <-[cond]- | -[cond]-, where cond is [alias][:name('|'name)*][*hops].
  Result<QueryMatchEdge> ParseMatchEdge() {
    QueryMatchEdge edge;
    edge.offset = Peek().offset;
    const bool backward = Peek().kind == QueryTokenKind::kLt;
    if (backward) Advance();
    Advance();  // '-'
    if (Status status = ExpectKind(QueryTokenKind::kLeftBracket, "'[' after '-' in MATCH");
        !status.ok()) {
      return status;
    }
    if (AtName()) {
      std::string first = Advance().value;
      // "[has|includes]" without the colon appears in ADT's docs: a name list, not an alias.
      if (Peek().kind == QueryTokenKind::kPipe) {
        edge.relationship_names.push_back(std::move(first));
      } else {
        edge.relationship_alias = std::move(first);
      }
    }
    bool more_names = Peek().kind == QueryTokenKind::kColon && edge.relationship_names.empty();
    more_names =
        more_names || (Peek().kind == QueryTokenKind::kPipe && !edge.relationship_names.empty());
    while (more_names) {
      Advance();  // ':' or '|'
      Result<std::string> name = ParseName("a relationship name");
      if (!name.ok()) return std::move(name).status();
      edge.relationship_names.push_back(std::move(name).value());
      more_names = Peek().kind == QueryTokenKind::kPipe;
    }
    if (Peek().kind == QueryTokenKind::kStar) {
      if (edge.relationship_alias) {
        return QuerySyntaxError(Peek().offset,
                                "a relationship variable cannot be used with a hop count");
      }
      if (Status status = ParseHops(&edge); !status.ok()) return status;
    }
    if (Status status = ExpectKind(QueryTokenKind::kRightBracket, "']' to close the MATCH edge");
        !status.ok()) {
      return status;
    }
    if (Status status = ExpectKind(QueryTokenKind::kMinus, "'-' after ']'"); !status.ok()) {
      return status;
    }
    if (backward) {
      edge.direction = QueryEdgeDirection::kBackward;
    } else if (Peek().kind == QueryTokenKind::kGt) {
      Advance();
      edge.direction = QueryEdgeDirection::kForward;
    } else {
      edge.direction = QueryEdgeDirection::kEither;
    }
    return edge;
  }

  // '*' n | '*' [n] '..' m, resolved as described at QueryMatchEdge.
  Status ParseHops(QueryMatchEdge* edge) {
    const size_t star = Advance().offset;
    std::optional<int64_t> lower = ReadInteger();
    if (lower) Advance();
    int64_t min_hops = lower.value_or(0);
    int64_t max_hops = min_hops;
    if (Peek().kind == QueryTokenKind::kDot) {
      Advance();
      if (Status status = ExpectKind(QueryTokenKind::kDot, "'..' in a hop range"); !status.ok()) {
        return status;
      }
      std::optional<int64_t> upper = ReadInteger();
      if (!upper) return Expected("the upper hop count");
      Advance();
      min_hops += 1;  // ADT's lower bound is exclusive.
      max_hops = *upper;
    } else if (!lower) {
      return Expected("a hop count after '*'");
    }
    if (min_hops < 1 || max_hops > kMaxQueryMatchHops || min_hops > max_hops) {
      return QuerySyntaxError(star, "invalid hop count: a MATCH edge spans 1 to " +
                                        std::to_string(kMaxQueryMatchHops) +
                                        " hops, and a range needs lower < upper");
    }
    edge->min_hops = static_cast<int>(min_hops);
    edge->max_hops = static_cast<int>(max_hops);
    return Status::Ok();
  }

  // JOIN target RELATED source.relationship [relationship_alias]
  Result<QueryJoin> ParseJoin() {
    QueryJoin join;
    join.offset = Advance().offset;
    join.target_offset = Peek().offset;
    Result<std::string> target = ParseName("an alias after JOIN");
    if (!target.ok()) return std::move(target).status();
    join.target_alias = std::move(target).value();
    if (Status status = ExpectKeyword("RELATED"); !status.ok()) return status;
    Result<std::string> source = ParseName("an alias after RELATED");
    if (!source.ok()) return std::move(source).status();
    join.source_alias = std::move(source).value();
    if (Status status = ExpectKind(QueryTokenKind::kDot, "'.' and a relationship name");
        !status.ok()) {
      return status;
    }
    if (Peek().kind != QueryTokenKind::kWord && Peek().kind != QueryTokenKind::kEscapedWord) {
      return Expected("a relationship name");
    }
    join.relationship_name = Advance().value;
    if (AtName()) {
      join.relationship_alias_offset = Peek().offset;
      join.relationship_alias = Advance().value;
    }
    return join;
  }

  Status CountLogicalOperator() {
    if (++logical_operators_ > kMaxQueryLogicalOperators) {
      return QuerySyntaxError(Peek().offset, "too many AND/OR operators (at most " +
                                                 std::to_string(kMaxQueryLogicalOperators) + ")");
    }
    return Status::Ok();
  }

  // Folds `left op right...` for AND (over unary conditions) or OR (over AND chains).
  Result<QueryExprPtr> ParseBinary(std::string_view keyword, QueryExprKind kind,
                                   Result<QueryExprPtr> (QueryParser::*operand)()) {
    Result<QueryExprPtr> left = (this->*operand)();
    if (!left.ok()) return left;
    QueryExprPtr tree = std::move(left).value();
    while (Peek().IsKeyword(keyword)) {
      if (Status status = CountLogicalOperator(); !status.ok()) return status;
      QueryExprPtr node = MakeExpr(kind, Advance().offset);
      Result<QueryExprPtr> right = (this->*operand)();
      if (!right.ok()) return right;
      node->children.push_back(std::move(tree));
      node->children.push_back(std::move(right).value());
      tree = std::move(node);
    }
    return tree;
  }

  Result<QueryExprPtr> ParseOr() {
    return ParseBinary("OR", QueryExprKind::kOr, &QueryParser::ParseAnd);
  }
  Result<QueryExprPtr> ParseAnd() {
    return ParseBinary("AND", QueryExprKind::kAnd, &QueryParser::ParseUnary);
  }

  // NOT condition | '(' condition ')' | predicate
  Result<QueryExprPtr> ParseUnary() {
    const bool is_not = Peek().IsKeyword("NOT");
    if (!is_not && Peek().kind != QueryTokenKind::kLeftParen) return ParsePredicate();
    NestingGuard guard(&depth_);
    if (guard.TooDeep()) {
      return QuerySyntaxError(Peek().offset, "conditions nested too deeply (at most " +
                                                 std::to_string(kMaxQueryNesting) + " levels)");
    }
    const size_t offset = Advance().offset;
    if (is_not) {
      Result<QueryExprPtr> child = ParseUnary();
      if (!child.ok()) return child;
      QueryExprPtr node = MakeExpr(QueryExprKind::kNot, offset);
      node->children.push_back(std::move(child).value());
      return node;
    }
    Result<QueryExprPtr> inner = ParseOr();
    if (!inner.ok()) return inner;
    if (Status status = ExpectKind(QueryTokenKind::kRightParen, "')'"); !status.ok()) {
      return status;
    }
    return inner;
  }

  // operand cmp operand | operand [NOT] IN list | operand NIN list | function call
  Result<QueryExprPtr> ParsePredicate() {
    Result<QueryExprPtr> left = ParseOperand();
    if (!left.ok()) return left;
    const QueryToken& token = Peek();
    if (std::optional<QueryCompareOp> op = CompareOpOf(token.kind)) {
      QueryExprPtr node = MakeExpr(QueryExprKind::kCompare, Advance().offset);
      node->op = *op;
      Result<QueryExprPtr> right = ParseOperand();
      if (!right.ok()) return right;
      node->children.push_back(std::move(left).value());
      node->children.push_back(std::move(right).value());
      return node;
    }
    QueryExprKind kind = QueryExprKind::kIn;
    if (token.IsKeyword("NIN") || token.IsKeyword("NOT_IN")) {
      kind = QueryExprKind::kNotIn;
    } else if (token.IsKeyword("NOT") && Peek(1).IsKeyword("IN")) {
      kind = QueryExprKind::kNotIn;
      Advance();
    } else if (!token.IsKeyword("IN")) {
      if (left.value()->kind == QueryExprKind::kCall) return left;  // A boolean function.
      return Expected("a comparison operator, IN or NIN");
    }
    QueryExprPtr node = MakeExpr(kind, Advance().offset);
    Result<QueryExprPtr> list = ParseList();
    if (!list.ok()) return list;
    node->children.push_back(std::move(left).value());
    node->children.push_back(std::move(list).value());
    return node;
  }

  // '[' literal (',' literal)* ']'
  Result<QueryExprPtr> ParseList() {
    QueryExprPtr list = MakeExpr(QueryExprKind::kList, Peek().offset);
    if (Status status = ExpectKind(QueryTokenKind::kLeftBracket, "'[' to start a list");
        !status.ok()) {
      return status;
    }
    while (true) {
      if (list->children.size() == kMaxQueryInListSize) {
        return QuerySyntaxError(Peek().offset, "too many items in an IN list (at most " +
                                                   std::to_string(kMaxQueryInListSize) + ")");
      }
      Result<QueryExprPtr> item = ParseLiteral();
      if (!item.ok()) return item;
      list->children.push_back(std::move(item).value());
      if (Peek().kind == QueryTokenKind::kRightBracket) break;
      if (Status status = ExpectKind(QueryTokenKind::kComma, "',' or ']'"); !status.ok()) {
        return status;
      }
    }
    Advance();
    return list;
  }

  // A string, number, true, false or null.
  Result<QueryExprPtr> ParseLiteral() {
    const QueryToken& token = Peek();
    QueryExprPtr expr = MakeExpr(QueryExprKind::kLiteral, token.offset);
    if (token.kind == QueryTokenKind::kString) {
      expr->literal = token.value;
    } else if (token.kind == QueryTokenKind::kNumber) {
      expr->literal = NumberOf(token.text);
    } else if (token.IsKeyword("TRUE") || token.IsKeyword("FALSE")) {
      expr->literal = token.IsKeyword("TRUE");
    } else if (token.IsKeyword("NULL")) {
      expr->literal = nullptr;
    } else {
      return Expected("a string, number, true, false or null");
    }
    Advance();
    return expr;
  }

  // An integer when it is written as one and fits; otherwise a double.
  static QueryLiteral NumberOf(std::string_view text) {
    const char* first = text.data();
    const char* last = text.data() + text.size();
    int64_t integer = 0;
    if (auto [end, error] = std::from_chars(first, last, integer);
        error == std::errc() && end == last) {
      return integer;
    }
    double number = 0;
    (void)std::from_chars(first, last, number);  // The lexer only lets valid numbers through.
    return number;
  }

  // A literal, a function call or a property path.
  Result<QueryExprPtr> ParseOperand() {
    const QueryToken& token = Peek();
    if (token.kind == QueryTokenKind::kWord && Peek(1).kind == QueryTokenKind::kLeftParen) {
      return ParseCall();
    }
    if (token.kind == QueryTokenKind::kString || token.kind == QueryTokenKind::kNumber ||
        token.IsKeyword("TRUE") || token.IsKeyword("FALSE") || token.IsKeyword("NULL")) {
      return ParseLiteral();
    }
    QueryExprPtr expr = MakeExpr(QueryExprKind::kPath, token.offset);
    Result<QueryPath> path = ParsePath("a property, a value or a function call");
    if (!path.ok()) return std::move(path).status();
    expr->path = std::move(path).value();
    return expr;
  }

  // name '(' [operand (',' operand)*] ')'; the function name is kept upper-cased.
  Result<QueryExprPtr> ParseCall() {
    NestingGuard guard(&depth_);
    if (guard.TooDeep()) {
      return QuerySyntaxError(Peek().offset, "function calls nested too deeply (at most " +
                                                 std::to_string(kMaxQueryNesting) + " levels)");
    }
    const QueryToken& name = Advance();
    QueryExprPtr call = MakeExpr(QueryExprKind::kCall, name.offset);
    for (char c : name.text) {
      call->function_name.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    Advance();  // '('
    if (Peek().kind == QueryTokenKind::kRightParen) {
      Advance();
      return call;
    }
    while (true) {
      Result<QueryExprPtr> argument = ParseOperand();
      if (!argument.ok()) return argument;
      call->children.push_back(std::move(argument).value());
      if (Peek().kind == QueryTokenKind::kRightParen) break;
      if (Status status = ExpectKind(QueryTokenKind::kComma, "',' or ')'"); !status.ok()) {
        return status;
      }
    }
    Advance();
    return call;
  }

  std::vector<QueryToken> tokens_;  // ends with kEnd
  size_t pos_ = 0;
  size_t depth_ = 0;
  size_t logical_operators_ = 0;
};

}  // namespace

Result<Query> ParseQuery(std::string_view text) {
  if (text.size() > kMaxQueryLength) {
    return QuerySyntaxError(
        kMaxQueryLength, "query is longer than " + std::to_string(kMaxQueryLength) + " characters");
  }
  Result<std::vector<QueryToken>> tokens = TokenizeQuery(text);
  if (!tokens.ok()) return std::move(tokens).status();
  return QueryParser(std::move(tokens).value()).Parse();
}

}  // namespace dtwin::query
