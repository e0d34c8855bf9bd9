// Tests for the query lexer and parser: every documented example parses into the expected
// tree, and malformed queries fail with kSqlQueryError at the right 1-based position.
#include "query/query_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "query/query_lexer.h"

namespace dtwin::query {
namespace {

Query Parsed(std::string_view text) {
  Result<Query> query = ParseQuery(text);
  EXPECT_TRUE(query.ok()) << text << "\n" << (query.ok() ? "" : query.status().message());
  return query.ok() ? std::move(query).value() : Query{};
}

// The error message of a query that must not parse ("" if it parses).
std::string ErrorOf(std::string_view text) {
  Result<Query> query = ParseQuery(text);
  if (query.ok()) return "";
  EXPECT_EQ(query.status().code(), ErrorCode::kSqlQueryError) << text;
  return query.status().message();
}

std::string Joined(const QueryPath& path) {
  std::string joined;
  for (const std::string& segment : path.segments) {
    joined += (joined.empty() ? "" : ".") + segment;
  }
  return joined;
}

TEST(QueryParserTest, EveryDocumentedExampleParses) {
  // reference/adt-api.md 7.7 (doc typos kept where they are still valid syntax).
  const char* examples[] = {
      "SELECT * FROM DIGITALTWINS",
      "SELECT * FROM DIGITALTWINS WHERE temp = 79",
      "SELECT * FROM DigitalTwins T WHERE T.firmwareVersion = '1.1' AND T.$dtId in "
      "['123','456'] AND T.Temperature = 70",
      "SELECT * FROM DIGITALTWINS WHERE IS_DEFINED(Location)",
      "SELECT * FROM DIGITALTWINS WHERE IS_DEFINED(tags.red)",
      "SELECT * FROM DIGITALTWINS WHERE NOT IS_DEFINED(tags.red) AND tags.size = 'small'",
      "SELECT * FROM DIGITALTWINS T WHERE IS_NUMBER(T.Temperature)",
      "SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:example:thing;1')",
      "SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:example:thing;1', exact)",
      "SELECT ROOM FROM DIGITALTWINS DT WHERE IS_OF_MODEL(DT, 'dtmi:example:room;1', exact)",
      "SELECT T, CT FROM DIGITALTWINS T JOIN CT RELATED T.contains WHERE T.$dtId = 'ABC'",
      "SELECT T, SBT, R FROM DIGITALTWINS T JOIN SBT RELATED T.servicedBy R WHERE "
      "T.$dtId='ABC' AND R.reportedCondition='clean'",
      "SELECT LightBulb FROM DIGITALTWINS Room JOIN LightPanel RELATED Room.contains JOIN "
      "LightBulb RELATED LightPanel.contains WHERE Room.$dtId IN ['room1','room2']",
      "SELECT COUNT() FROM DIGITALTWINS",
      "SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:sample:Room;1') AND "
      "c.Capacity > 20",
      "SELECT COUNT() FROM RELATIONSHIPS",
      "SELECT TOP(5) FROM DIGITALTWINS",
      "SELECT * FROM RELATIONSHIPS WHERE $sourceId IN ['A','B','C','D']",
      "SELECT Consumer.name AS consumerName, Edge.prop1 AS first, Factory.area AS factoryArea "
      "FROM DIGITALTWINS Factory JOIN Consumer RELATED Factory.customer Edge WHERE "
      "Factory.$dtId = 'ABC'",
      "SELECT name, age FROM DIGITALTWINS",
      "SELECT T.name FROM DIGITALTWINS T WHERE ARRAY_CONTAINS(T.floor_number, 2)",
      "SELECT * FROM DIGITALTWINS T WHERE CONTAINS(T.$dtId, '-route')",
      "SELECT * FROM DIGITALTWINS T WHERE STARTSWITH(T.$dtId,'area1-')",
      "SELECT * FROM DIGITALTWINS T WHERE ENDSWITH(T.$dtId,'-small')",
      "SELECT Factory.area FROM DIGITALTWINS Factory WHERE Factory.$dtId = 'ABC' AND "
      "IS_PRIMITIVE(Factory.area)",
      "SELECT * FROM DIGITALTWINS WHERE IS_OBJECT(MapObject) AND NOT "
      "IS_DEFINED(MapObject.TemperatureReading)",
      "SELECT device FROM DIGITALTWINS space JOIN device RELATED space.has WHERE space.$dtid = "
      "'Room 123' AND device.$metadata.model = '...' AND has.role = 'Operator'",
      // Recorded real traffic (7.8).
      "SELECT COUNT() FROM digitaltwins WHERE IS_OF_MODEL('dtmi:a:b;1', EXACT) AND "
      "IsOccupied = true",
      "SELECT D FROM DIGITALTWINS D WHERE D.$dtId = 'x'",
      // Other documented forms (7.1-7.6).
      "SELECT * FROM DIGITALTWINS WHERE [[Group]] = 'BravoTeam'",
      "SELECT * FROM DIGITALTWINS WHERE Name = 'D\\'Souza'",
      "SELECT * FROM DIGITALTWINS DT WHERE NOT DT.Temperature <= 80",
      "SELECT TOP (5) FROM DIGITALTWINS WHERE IS_STRING(name) OR IS_BOOL(on) OR IS_NULL(x)",
      "SELECT * FROM DIGITALTWINS T WHERE STARTS_WITH(T.$dtId, 'a') AND ENDS_WITH(T.$dtId, 'b')",
      "SELECT * FROM DIGITALTWINS F WHERE ARRAY_CONTAINS(F.Contains.lift, \"operating\")",
      "select * from digitaltwins where is_defined(tags.red)",
      "SELECT * FROM DIGITALTWINS WHERE T.a NIN [1, 2.5, -3, true, null, 'x']",
      "SELECT * FROM DIGITALTWINS WHERE $metadata.$model = 'dtmi:a;1' AND $etag != 'x'",
  };
  for (const char* text : examples) {
    Result<Query> query = ParseQuery(text);
    EXPECT_TRUE(query.ok()) << text << "\n" << (query.ok() ? "" : query.status().message());
  }
}

TEST(QueryParserTest, SelectStarWithoutAlias) {
  Query query = Parsed("SELECT * FROM DIGITALTWINS");
  EXPECT_EQ(query.select.kind, QuerySelectKind::kAll);
  EXPECT_FALSE(query.select.top.has_value());
  EXPECT_EQ(query.collection, QueryCollection::kDigitalTwins);
  EXPECT_FALSE(query.alias.has_value());
  EXPECT_TRUE(query.joins.empty());
  EXPECT_EQ(query.where, nullptr);
}

TEST(QueryParserTest, TopWithAndWithoutProjections) {
  Query bare = Parsed("SELECT TOP(5) FROM DIGITALTWINS");
  EXPECT_EQ(bare.select.kind, QuerySelectKind::kAll);
  EXPECT_EQ(bare.select.top, 5);
  Query star = Parsed("SELECT TOP(3) * FROM DIGITALTWINS");
  EXPECT_EQ(star.select.kind, QuerySelectKind::kAll);
  EXPECT_EQ(star.select.top, 3);
  Query projected = Parsed("select top ( 7 ) T, T.name from digitaltwins T");
  EXPECT_EQ(projected.select.kind, QuerySelectKind::kProjections);
  EXPECT_EQ(projected.select.top, 7);
  ASSERT_EQ(projected.select.projections.size(), 2u);
  EXPECT_EQ(Joined(projected.select.projections[1].path), "T.name");
  EXPECT_EQ(projected.alias, "T");
}

TEST(QueryParserTest, CountOverRelationships) {
  Query query = Parsed("SELECT COUNT() FROM RELATIONSHIPS R WHERE R.$sourceId = 'a'");
  EXPECT_EQ(query.select.kind, QuerySelectKind::kProjections);
  ASSERT_EQ(query.select.projections.size(), 1u);
  EXPECT_EQ(query.select.projections[0].aggregate, QueryAggregate::kCount);
  EXPECT_FALSE(query.select.projections[0].as_name.has_value());
  EXPECT_EQ(query.collection, QueryCollection::kRelationships);
  EXPECT_EQ(query.alias, "R");
  ASSERT_NE(query.where, nullptr);
  EXPECT_EQ(query.where->kind, QueryExprKind::kCompare);
}

TEST(QueryParserTest, ProjectionsKeepPathsAndAsNames) {
  Query query = Parsed(
      "SELECT Consumer.name AS consumerName, Edge.prop1 AS first, Factory FROM DIGITALTWINS "
      "Factory JOIN Consumer RELATED Factory.customer Edge WHERE Factory.$dtId = 'ABC'");
  ASSERT_EQ(query.select.projections.size(), 3u);
  EXPECT_EQ(Joined(query.select.projections[0].path), "Consumer.name");
  EXPECT_EQ(query.select.projections[0].as_name, "consumerName");
  EXPECT_EQ(query.select.projections[1].as_name, "first");
  EXPECT_EQ(Joined(query.select.projections[2].path), "Factory");
  EXPECT_FALSE(query.select.projections[2].as_name.has_value());
  EXPECT_EQ(query.select.projections[1].path.offset, 38u);
}

TEST(QueryParserTest, JoinsBindTargetSourceRelationshipAndAlias) {
  Query query = Parsed(
      "SELECT T, SBT, R FROM DIGITALTWINS T JOIN SBT RELATED T.servicedBy R "
      "JOIN X RELATED SBT.contains WHERE T.$dtId = 'ABC'");
  ASSERT_EQ(query.joins.size(), 2u);
  EXPECT_EQ(query.joins[0].target_alias, "SBT");
  EXPECT_EQ(query.joins[0].source_alias, "T");
  EXPECT_EQ(query.joins[0].relationship_name, "servicedBy");
  EXPECT_EQ(query.joins[0].relationship_alias, "R");
  EXPECT_EQ(query.joins[0].offset, 37u);
  EXPECT_EQ(query.joins[1].source_alias, "SBT");
  EXPECT_EQ(query.joins[1].relationship_name, "contains");
  EXPECT_FALSE(query.joins[1].relationship_alias.has_value());
}

TEST(QueryParserTest, NotBindsTighterThanAndWhichBindsTighterThanOr) {
  Query query = Parsed("SELECT * FROM DIGITALTWINS WHERE NOT a = 1 OR b = 2 AND c = 3");
  const QueryExpr& root = *query.where;
  ASSERT_EQ(root.kind, QueryExprKind::kOr);
  EXPECT_EQ(root.children[0]->kind, QueryExprKind::kNot);
  EXPECT_EQ(root.children[0]->children[0]->kind, QueryExprKind::kCompare);
  ASSERT_EQ(root.children[1]->kind, QueryExprKind::kAnd);
  EXPECT_EQ(Joined(root.children[1]->children[0]->children[0]->path), "b");
}

TEST(QueryParserTest, ParenthesesOverridePrecedence) {
  Query query = Parsed("SELECT * FROM DIGITALTWINS WHERE (a = 1 OR b = 2) AND c = 3");
  ASSERT_EQ(query.where->kind, QueryExprKind::kAnd);
  EXPECT_EQ(query.where->children[0]->kind, QueryExprKind::kOr);
}

TEST(QueryParserTest, ComparisonOperatorsAndLiterals) {
  struct Case {
    const char* op;
    QueryCompareOp expected;
  };
  for (const Case& c : {Case{"=", QueryCompareOp::kEq}, Case{"!=", QueryCompareOp::kNe},
                        Case{"<>", QueryCompareOp::kNe}, Case{"<", QueryCompareOp::kLt},
                        Case{"<=", QueryCompareOp::kLe}, Case{">", QueryCompareOp::kGt},
                        Case{">=", QueryCompareOp::kGe}}) {
    Query query = Parsed(std::string("SELECT * FROM DIGITALTWINS WHERE x ") + c.op + " 1");
    ASSERT_NE(query.where, nullptr) << c.op;
    EXPECT_EQ(query.where->op, c.expected) << c.op;
  }
  Query query = Parsed(
      "SELECT * FROM DIGITALTWINS WHERE a IN [12, -3.5, 1e3, 'q', \"d\\\"q\", "
      "TRUE, false, Null, 99999999999999999999]");
  const QueryExpr& list = *query.where->children[1];
  ASSERT_EQ(list.kind, QueryExprKind::kList);
  ASSERT_EQ(list.children.size(), 9u);
  EXPECT_EQ(std::get<int64_t>(list.children[0]->literal), 12);
  EXPECT_EQ(std::get<double>(list.children[1]->literal), -3.5);
  EXPECT_EQ(std::get<double>(list.children[2]->literal), 1000.0);
  EXPECT_EQ(std::get<std::string>(list.children[3]->literal), "q");
  EXPECT_EQ(std::get<std::string>(list.children[4]->literal), "d\"q");
  EXPECT_EQ(std::get<bool>(list.children[5]->literal), true);
  EXPECT_EQ(std::get<bool>(list.children[6]->literal), false);
  EXPECT_TRUE(std::holds_alternative<std::nullptr_t>(list.children[7]->literal));
  EXPECT_EQ(std::get<double>(list.children[8]->literal), 1e20);
}

TEST(QueryParserTest, NinNotInAndNotInAreTheSame) {
  for (const char* text : {"SELECT * FROM DIGITALTWINS WHERE a NIN ['x']",
                           "SELECT * FROM DIGITALTWINS WHERE a NOT_IN ['x']",
                           "SELECT * FROM DIGITALTWINS WHERE a not in ['x']"}) {
    Query query = Parsed(text);
    ASSERT_NE(query.where, nullptr) << text;
    EXPECT_EQ(query.where->kind, QueryExprKind::kNotIn) << text;
  }
}

TEST(QueryParserTest, FunctionCallsAreGenericWithUpperCasedNames) {
  Query query = Parsed("SELECT * FROM DIGITALTWINS DT WHERE is_of_model(DT, 'dtmi:a;1', exact)");
  const QueryExpr& call = *query.where;
  ASSERT_EQ(call.kind, QueryExprKind::kCall);
  EXPECT_EQ(call.function_name, "IS_OF_MODEL");
  ASSERT_EQ(call.children.size(), 3u);
  EXPECT_EQ(Joined(call.children[0]->path), "DT");
  EXPECT_EQ(std::get<std::string>(call.children[1]->literal), "dtmi:a;1");
  EXPECT_EQ(call.children[2]->kind, QueryExprKind::kPath);
  EXPECT_EQ(Joined(call.children[2]->path), "exact");
  // A function may also be compared, as an operand.
  Query compared = Parsed("SELECT * FROM DIGITALTWINS WHERE IS_DEFINED(a) = true");
  EXPECT_EQ(compared.where->kind, QueryExprKind::kCompare);
  EXPECT_EQ(compared.where->children[0]->kind, QueryExprKind::kCall);
}

TEST(QueryParserTest, KeywordsIgnoreCaseButNamesKeepIt) {
  Query query = Parsed(
      "sElEcT MyAlias.Name aS Out FrOm DiGiTaLtWiNs MyAlias wHeRe "
      "MyAlias.$dtId = 'Id' aNd MyAlias.X iN ['A']");
  EXPECT_EQ(query.alias, "MyAlias");
  EXPECT_EQ(Joined(query.select.projections[0].path), "MyAlias.Name");
  EXPECT_EQ(query.select.projections[0].as_name, "Out");
  EXPECT_EQ(query.where->kind, QueryExprKind::kAnd);
  EXPECT_EQ(std::get<std::string>(query.where->children[0]->children[1]->literal), "Id");
}

TEST(QueryParserTest, EscapedReservedWordsAreNames) {
  Query query = Parsed(
      "SELECT [[Group]].[[Order]] AS [[Select]] FROM DIGITALTWINS [[Group]] "
      "WHERE [[Group]].x = 1");
  EXPECT_EQ(query.alias, "Group");
  EXPECT_EQ(Joined(query.select.projections[0].path), "Group.Order");
  EXPECT_EQ(query.select.projections[0].as_name, "Select");
}

TEST(QueryParserTest, StringEscapes) {
  Query query = Parsed("SELECT * FROM DIGITALTWINS WHERE a = 'D\\'Souza \\\\ \"x\" \\n'");
  EXPECT_EQ(std::get<std::string>(query.where->children[1]->literal), "D'Souza \\ \"x\" \n");
}

TEST(QueryParserTest, ErrorsNameThePositionAndWhatWasExpected) {
  EXPECT_EQ(ErrorOf("SELECT * FORM DIGITALTWINS"),
            "Query syntax error at position 10: expected FROM, found 'FORM'");
  EXPECT_EQ(ErrorOf("SELEC * FROM DIGITALTWINS"),
            "Query syntax error at position 1: expected SELECT, found 'SELEC'");
  EXPECT_EQ(ErrorOf("SELECT * FROM TWINS"),
            "Query syntax error at position 15: expected DIGITALTWINS or RELATIONSHIPS, found "
            "'TWINS'");
  EXPECT_EQ(ErrorOf("SELECT * FROM DIGITALTWINS WHERE"),
            "Query syntax error at position 33: expected a property, a value or a function "
            "call, found end of query");
  EXPECT_EQ(ErrorOf("SELECT * FROM DIGITALTWINS WHERE a = 1 AND"),
            "Query syntax error at position 43: expected a property, a value or a function "
            "call, found end of query");
  EXPECT_EQ(ErrorOf("SELECT * FROM DIGITALTWINS WHERE a 1"),
            "Query syntax error at position 36: expected a comparison operator, IN or NIN, "
            "found '1'");
  EXPECT_EQ(ErrorOf("SELECT * FROM DIGITALTWINS WHERE (a = 1"),
            "Query syntax error at position 40: expected ')', found end of query");
  EXPECT_EQ(ErrorOf("SELECT * FROM DIGITALTWINS WHERE a IN ['x' 'y']"),
            "Query syntax error at position 44: expected ',' or ']', found ''y''");
  EXPECT_EQ(ErrorOf("SELECT * FROM DIGITALTWINS WHERE a IN 'x'"),
            "Query syntax error at position 39: expected '[' to start a list, found ''x''");
  EXPECT_EQ(ErrorOf("SELECT * FROM DIGITALTWINS WHERE a IN [b]"),
            "Query syntax error at position 40: expected a string, number, true, false or null, "
            "found 'b'");
  EXPECT_EQ(ErrorOf("SELECT * FROM DIGITALTWINS WHERE a = 'open"),
            "Query syntax error at position 38: unterminated string literal");
  EXPECT_EQ(ErrorOf("SELECT * FROM DIGITALTWINS WHERE a = #"),
            "Query syntax error at position 38: unexpected character '#'");
  EXPECT_EQ(ErrorOf("SELECT * FROM DIGITALTWINS T WHERE T. = 1"),
            "Query syntax error at position 39: expected a property name after '.', found '='");
  EXPECT_EQ(ErrorOf("SELECT * FROM DIGITALTWINS T LIMIT 5"),
            "Query syntax error at position 30: expected JOIN, WHERE, GROUP BY, ORDER BY or end "
            "of query, found 'LIMIT'");
  EXPECT_EQ(ErrorOf("SELECT * FROM DIGITALTWINS WHERE a = 1 b = 2"),
            "Query syntax error at position 40: expected AND, OR, GROUP BY, ORDER BY or end of "
            "query, found 'b'");
  EXPECT_EQ(ErrorOf("SELECT * FROM DIGITALTWINS T ORDER T.x"),
            "Query syntax error at position 36: expected BY, found 'T'");
  EXPECT_EQ(ErrorOf("SELECT * FROM DIGITALTWINS T ORDER BY T.x DESC, "),
            "Query syntax error at position 49: expected a property or column to order by, found "
            "end of query");
  EXPECT_EQ(ErrorOf("SELECT SUM() FROM DIGITALTWINS"),
            "Query syntax error at position 12: expected a property to aggregate in SUM(), found "
            "')'");
  EXPECT_EQ(ErrorOf("SELECT COUNT(*) FROM DIGITALTWINS"),
            "Query syntax error at position 14: expected ')' (COUNT takes no arguments), found "
            "'*'");
  EXPECT_EQ(ErrorOf("SELECT TOP(0) FROM DIGITALTWINS"),
            "Query syntax error at position 12: expected a positive integer in TOP(), found '0'");
  EXPECT_EQ(ErrorOf("SELECT TOP(2.5) FROM DIGITALTWINS"),
            "Query syntax error at position 12: expected a positive integer in TOP(), found "
            "'2.5'");
  EXPECT_EQ(ErrorOf("SELECT FROM DIGITALTWINS"),
            "Query syntax error at position 8: expected '*', COUNT(), TOP(n), an alias or a "
            "property, found 'FROM', a reserved word (escape it as [[FROM]])");
  EXPECT_EQ(ErrorOf("SELECT a AS FROM DIGITALTWINS"),
            "Query syntax error at position 13: expected a column name after AS, found 'FROM', "
            "a reserved word (escape it as [[FROM]])");
  EXPECT_EQ(ErrorOf("SELECT * FROM DIGITALTWINS WHERE f(a,"),
            "Query syntax error at position 38: expected a property, a value or a function "
            "call, found end of query");
  EXPECT_EQ(ErrorOf(""), "Query syntax error at position 1: expected SELECT, found end of query");
}

TEST(QueryParserTest, JoinMistakes) {
  EXPECT_EQ(ErrorOf("SELECT T FROM DIGITALTWINS T JOIN CT T.contains"),
            "Query syntax error at position 38: expected RELATED, found 'T'");
  EXPECT_EQ(ErrorOf("SELECT T FROM DIGITALTWINS T JOIN CT RELATED T WHERE T.$dtId = 'a'"),
            "Query syntax error at position 48: expected '.' and a relationship name, found "
            "'WHERE'");
  EXPECT_EQ(ErrorOf("SELECT T FROM DIGITALTWINS T JOIN RELATED T.contains"),
            "Query syntax error at position 35: expected an alias after JOIN, found 'RELATED', "
            "a reserved word (escape it as [[RELATED]])");
  EXPECT_EQ(ErrorOf("SELECT R FROM RELATIONSHIPS R JOIN T RELATED R.x"),
            "Query syntax error at position 31: JOIN cannot be used with FROM RELATIONSHIPS");
}

TEST(QueryParserTest, ReservedWordsMustBeEscaped) {
  EXPECT_EQ(ErrorOf("SELECT * FROM DIGITALTWINS WHERE Group = 'BravoTeam'"),
            "Query syntax error at position 34: expected a property, a value or a function "
            "call, found 'Group', a reserved word (escape it as [[Group]])");
  EXPECT_EQ(ErrorOf("SELECT * FROM DIGITALTWINS WHERE [[Group = 'x'"),
            "Query syntax error at position 34: unterminated escaped name, expected ']]'");
  EXPECT_EQ(ErrorOf("SELECT * FROM DIGITALTWINS WHERE [[a b]] = 'x'"),
            "Query syntax error at position 36: expected a name inside [[ ]]");
}

TEST(QueryParserTest, DocumentedMatchPatternsParse) {
  // reference/adt-api.md 7.5, with the doc's missing FROM and paren typos fixed.
  const char* examples[] = {
      "SELECT Building, Sensor FROM DIGITALTWINS MATCH (Building)-[]->(Sensor) WHERE "
      "Building.$dtId = 'Building21' AND Sensor.temperature > 50",
      "SELECT twin_1 FROM DIGITALTWINS MATCH (twin_1) WHERE twin_1.$dtId = 'a'",
      "SELECT Floor, Cafe, r FROM DIGITALTWINS MATCH "
      "(Floor)-[r:contains|isAssociatedWith]->(Cafe)<-[:has|includes*..3]-(Room) "
      "WHERE Floor.$dtId = 'f' AND r.length = 10",
      "SELECT Building FROM DIGITALTWINS MATCH (Building)-[r1:isAssociatedWith]->(Floor)"
      "<-[r2:isAssociatedWith]-(Room) WHERE Building.$dtId = 'b'",
      "SELECT Cafe FROM DIGITALTWINS MATCH (Cafe)<-[has|includes*..3]-(Room) WHERE "
      "Cafe.$dtId = 'c'",
      "SELECT B FROM DIGITALTWINS MATCH (B)-[*3]-(S) WHERE B.$dtId = 'b'",
      "SELECT B FROM DIGITALTWINS MATCH (B)-[:feeds*1..3]->()-[r]-(S) WHERE B.$dtId = 'b'",
  };
  for (const char* text : examples) {
    Result<Query> query = ParseQuery(text);
    EXPECT_TRUE(query.ok()) << text << "\n" << (query.ok() ? "" : query.status().message());
  }
}

TEST(QueryParserTest, MatchPatternStructure) {
  Query query = Parsed(
      "SELECT Floor FROM DIGITALTWINS MATCH (Floor)-[r:contains|isAssociatedWith]->(Cafe)"
      "<-[:has*1..3]-()-[*2]-(Room) WHERE Floor.$dtId = 'f'");
  ASSERT_TRUE(query.match.has_value());
  const QueryMatch& match = *query.match;
  EXPECT_EQ(match.offset, 31u);
  ASSERT_EQ(match.nodes.size(), 4u);
  ASSERT_EQ(match.edges.size(), 3u);
  EXPECT_EQ(match.nodes[0].alias, "Floor");
  EXPECT_FALSE(match.nodes[2].alias.has_value());
  EXPECT_EQ(match.edges[0].direction, QueryEdgeDirection::kForward);
  EXPECT_EQ(match.edges[0].relationship_alias, "r");
  EXPECT_EQ(match.edges[0].relationship_names,
            (std::vector<std::string>{"contains", "isAssociatedWith"}));
  EXPECT_EQ(match.edges[0].min_hops, 1);
  EXPECT_EQ(match.edges[0].max_hops, 1);
  EXPECT_EQ(match.edges[1].direction, QueryEdgeDirection::kBackward);
  EXPECT_FALSE(match.edges[1].relationship_alias.has_value());
  EXPECT_EQ(match.edges[1].relationship_names, (std::vector<std::string>{"has"}));
  EXPECT_EQ(match.edges[1].min_hops, 2);  // The lower bound is exclusive.
  EXPECT_EQ(match.edges[1].max_hops, 3);
  EXPECT_EQ(match.edges[2].direction, QueryEdgeDirection::kEither);
  EXPECT_TRUE(match.edges[2].relationship_names.empty());
  EXPECT_EQ(match.edges[2].min_hops, 2);
  EXPECT_EQ(match.edges[2].max_hops, 2);
  EXPECT_TRUE(query.joins.empty());
  Query up_to = Parsed("SELECT a FROM DIGITALTWINS MATCH (a)-[*..10]->(b) WHERE a.$dtId = 'x'");
  EXPECT_EQ(up_to.match->edges[0].min_hops, 1);
  EXPECT_EQ(up_to.match->edges[0].max_hops, 10);
}

TEST(QueryParserTest, MatchMistakes) {
  const std::string prefix = "SELECT a FROM DIGITALTWINS ";  // 27 characters
  EXPECT_EQ(ErrorOf(prefix + "MATCH a-[]->(b)"),
            "Query syntax error at position 34: expected '(' to start a MATCH node, found 'a'");
  EXPECT_EQ(ErrorOf(prefix + "MATCH (a)-[r*2]->(b)"),
            "Query syntax error at position 40: a relationship variable cannot be used with a "
            "hop count");
  EXPECT_EQ(ErrorOf(prefix + "MATCH (a)-[*11]->(b)"),
            "Query syntax error at position 39: invalid hop count: a MATCH edge spans 1 to 10 "
            "hops, and a range needs lower < upper");
  EXPECT_EQ(ErrorOf(prefix + "MATCH (a)-[*3..3]->(b)"),
            "Query syntax error at position 39: invalid hop count: a MATCH edge spans 1 to 10 "
            "hops, and a range needs lower < upper");
  EXPECT_EQ(ErrorOf(prefix + "MATCH (a)-[*]->(b)"),
            "Query syntax error at position 40: expected a hop count after '*', found ']'");
  EXPECT_EQ(ErrorOf(prefix + "MATCH (a)-[:x->(b)"),
            "Query syntax error at position 41: expected ']' to close the MATCH edge, found '-'");
  EXPECT_EQ(ErrorOf(prefix + "MATCH (a)-[]->"),
            "Query syntax error at position 42: expected '(' to start a MATCH node, found end of "
            "query");
  EXPECT_EQ(ErrorOf(prefix + "JOIN b RELATED a.x MATCH (a)"),
            "Query syntax error at position 47: MATCH cannot be combined with JOIN");
  EXPECT_EQ(ErrorOf(prefix + "MATCH (a) JOIN b RELATED a.x"),
            "Query syntax error at position 38: JOIN cannot be combined with MATCH");
  EXPECT_EQ(ErrorOf(prefix + "MATCH (a) MATCH (b)"),
            "Query syntax error at position 38: only one MATCH is allowed per query");
  EXPECT_EQ(ErrorOf("SELECT a FROM RELATIONSHIPS MATCH (a)"),
            "Query syntax error at position 29: MATCH cannot be used with FROM RELATIONSHIPS");
}

TEST(QueryParserTest, LengthLimit) {
  std::string text = "SELECT * FROM DIGITALTWINS WHERE a = '";
  text += std::string(kMaxQueryLength - text.size() - 1, 'x') + "'";
  ASSERT_EQ(text.size(), kMaxQueryLength);
  EXPECT_TRUE(ParseQuery(text).ok());
  text.insert(text.size() - 1, "x");
  EXPECT_EQ(ErrorOf(text),
            "Query syntax error at position 8001: query is longer than 8000 "
            "characters");
}

TEST(QueryParserTest, AtMostFiftyAndOrOperators) {
  std::string text = "SELECT * FROM DIGITALTWINS WHERE a = 0";
  for (int i = 1; i <= 50; ++i) text += (i % 2 ? " AND a = " : " OR a = ") + std::to_string(i);
  EXPECT_TRUE(ParseQuery(text).ok());
  const size_t offset = text.size() + 1;
  text += " AND b = 1";
  EXPECT_EQ(ErrorOf(text), "Query syntax error at position " + std::to_string(offset + 1) +
                               ": too many AND/OR operators (at most 50)");
}

TEST(QueryParserTest, AtMostFiveJoins) {
  std::string text = "SELECT J5 FROM DIGITALTWINS J0";
  for (int i = 1; i <= 5; ++i) {
    text += " JOIN J" + std::to_string(i) + " RELATED J" + std::to_string(i - 1) + ".r";
  }
  EXPECT_EQ(Parsed(text + " WHERE J0.$dtId = 'a'").joins.size(), 5u);
  const size_t offset = text.size() + 1;
  text += " JOIN J6 RELATED J5.r";
  EXPECT_EQ(ErrorOf(text), "Query syntax error at position " + std::to_string(offset + 1) +
                               ": too many JOINs (at most 5)");
}

TEST(QueryParserTest, DeepNestingFailsWithoutOverflowingTheStack) {
  const std::string within =
      "SELECT * FROM DIGITALTWINS WHERE " + std::string(64, '(') + "a = 1" + std::string(64, ')');
  EXPECT_TRUE(ParseQuery(within).ok());
  const std::string parens = "SELECT * FROM DIGITALTWINS WHERE " + std::string(3000, '(') +
                             "a = 1" + std::string(3000, ')');
  EXPECT_EQ(ErrorOf(parens),
            "Query syntax error at position 98: conditions nested too deeply "
            "(at most 64 levels)");
  std::string nots = "SELECT * FROM DIGITALTWINS WHERE";
  for (int i = 0; i < 1500; ++i) nots += " NOT";
  EXPECT_NE(ErrorOf(nots + " a = 1").find("nested too deeply"), std::string::npos);
  std::string calls = "SELECT * FROM DIGITALTWINS WHERE ";
  for (int i = 0; i < 2000; ++i) calls += "f(";
  EXPECT_NE(ErrorOf(calls + "a" + std::string(2000, ')')).find("nested too deeply"),
            std::string::npos);
}

TEST(QueryLexerTest, TokensCarryOffsetsAndResolvedValues) {
  Result<std::vector<QueryToken>> tokens = TokenizeQuery("T.$dtId>=-2 [[x]] 'a\\'b'");
  ASSERT_TRUE(tokens.ok());
  const std::vector<QueryToken>& list = tokens.value();
  ASSERT_EQ(list.size(), 8u);
  EXPECT_EQ(list[0].kind, QueryTokenKind::kWord);
  EXPECT_EQ(list[1].kind, QueryTokenKind::kDot);
  EXPECT_EQ(list[2].value, "$dtId");
  EXPECT_EQ(list[3].kind, QueryTokenKind::kGe);
  EXPECT_EQ(list[4].kind, QueryTokenKind::kNumber);
  EXPECT_EQ(list[4].text, "-2");
  EXPECT_EQ(list[5].kind, QueryTokenKind::kEscapedWord);
  EXPECT_EQ(list[5].value, "x");
  EXPECT_EQ(list[5].offset, 12u);
  EXPECT_EQ(list[6].kind, QueryTokenKind::kString);
  EXPECT_EQ(list[6].value, "a'b");
  EXPECT_EQ(list[7].kind, QueryTokenKind::kEnd);
  EXPECT_EQ(list[7].offset, 24u);
  EXPECT_FALSE(list[5].IsKeyword("X"));  // Escaped words are never keywords.
}

TEST(QueryParserTest, AggregatesGroupByAndOrderBy) {
  Query query = Parsed(
      "SELECT T.floor, COUNT() AS n, avg(T.temperature), MAX(T.name) AS last FROM DIGITALTWINS T "
      "WHERE T.x > 1 GROUP BY T.floor ORDER BY n DESC, T.floor");
  ASSERT_EQ(query.select.projections.size(), 4u);
  EXPECT_EQ(query.select.projections[0].aggregate, QueryAggregate::kNone);
  EXPECT_EQ(query.select.projections[1].aggregate, QueryAggregate::kCount);
  EXPECT_EQ(query.select.projections[1].as_name, "n");
  EXPECT_EQ(query.select.projections[2].aggregate, QueryAggregate::kAvg);
  EXPECT_EQ(Joined(query.select.projections[2].path), "T.temperature");
  EXPECT_EQ(query.select.projections[3].aggregate, QueryAggregate::kMax);
  ASSERT_EQ(query.group_by.size(), 1u);
  EXPECT_EQ(Joined(query.group_by[0]), "T.floor");
  ASSERT_EQ(query.order_by.size(), 2u);
  EXPECT_EQ(Joined(query.order_by[0].path), "n");
  EXPECT_TRUE(query.order_by[0].descending);
  EXPECT_EQ(Joined(query.order_by[1].path), "T.floor");
  EXPECT_FALSE(query.order_by[1].descending);
}

TEST(QueryParserTest, OrderByWithoutWhere) {
  Query query = Parsed("SELECT * FROM DIGITALTWINS T ORDER BY T.$dtId ASC");
  EXPECT_EQ(query.where, nullptr);
  ASSERT_EQ(query.order_by.size(), 1u);
  EXPECT_EQ(query.order_by_offset, 29u);
}

}  // namespace
}  // namespace dtwin::query
