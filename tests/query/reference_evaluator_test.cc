// Tests for the reference query evaluator on tiny hand-built graphs: each test pins one rule
// of docs/query.md and fails if the evaluator lacks it.
#include "reference_evaluator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <chrono>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_writer.h"

namespace dtwin::query::testing {
namespace {

boost::json::object Json(std::string_view text) { return boost::json::parse(text).as_object(); }

// A twin of model dtmi:test:<model>;1 with extra members given as JSON object text.
boost::json::object Twin(std::string_view id, std::string_view model = "thing",
                         std::string_view members = "{}") {
  boost::json::object twin = Json(members);
  twin["$dtId"] = id;
  twin["$etag"] = "W/\"1\"";
  twin["$metadata"] = {{"$model", "dtmi:test:" + std::string(model) + ";1"}};
  return twin;
}

boost::json::object Rel(std::string_view id, std::string_view source, std::string_view name,
                        std::string_view target, std::string_view members = "{}") {
  boost::json::object relationship = Json(members);
  relationship["$relationshipId"] = id;
  relationship["$etag"] = "W/\"1\"";
  relationship["$sourceId"] = source;
  relationship["$targetId"] = target;
  relationship["$relationshipName"] = name;
  return relationship;
}

// base <- mid <- leaf; other stands alone.
std::vector<std::string> ModelAndDescendants(std::string_view model) {
  const std::vector<std::string> chain = {"dtmi:test:base;1", "dtmi:test:mid;1",
                                          "dtmi:test:leaf;1"};
  auto at = std::find(chain.begin(), chain.end(), model);
  if (at == chain.end()) return {std::string(model)};
  return std::vector<std::string>(at, chain.end());
}

ReferenceData Data(std::vector<boost::json::object> twins,
                   std::vector<boost::json::object> relationships = {}) {
  ReferenceData data;
  data.twins = std::move(twins);
  data.relationships = std::move(relationships);
  data.model_and_descendants = ModelAndDescendants;
  return data;
}

ReferenceResult Evaluate(std::string_view query, const ReferenceData& data) {
  Result<ReferenceResult> result = ReferenceEvaluate(query, data);
  EXPECT_TRUE(result.ok()) << query << "\n" << (result.ok() ? "" : result.status().ToString());
  return result.ok() ? std::move(result).value() : ReferenceResult{};
}

// The error message of a query that must fail with SqlQueryError ("" if it runs).
std::string ErrorOf(std::string_view query, const ReferenceData& data) {
  Result<ReferenceResult> result = ReferenceEvaluate(query, data);
  if (result.ok()) return "";
  EXPECT_EQ(result.status().code(), ErrorCode::kSqlQueryError) << query;
  return result.status().message();
}

// The `key` member of each row, rendered as JSON ("-" when absent), in row order.
std::vector<std::string> Column(const ReferenceResult& result, std::string_view key) {
  std::vector<std::string> values;
  for (const boost::json::object& row : result.rows) {
    const boost::json::value* value = row.if_contains(key);
    values.push_back(value == nullptr ? "-" : WriteJson(*value));
  }
  return values;
}

// Column() sorted, for results whose order does not matter.
std::vector<std::string> Sorted(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  return values;
}

// The $dtId of each row of `SELECT * FROM DIGITALTWINS WHERE <condition>`, sorted.
std::vector<std::string> Where(std::string_view condition, const ReferenceData& data) {
  return Sorted(Column(Evaluate("SELECT * FROM DIGITALTWINS WHERE " + std::string(condition), data),
                       "$dtId"));
}

// $dtIds as Column() renders them.
std::vector<std::string> Ids(std::initializer_list<std::string_view> ids) {
  std::vector<std::string> quoted;
  for (std::string_view id : ids) quoted.push_back("\"" + std::string(id) + "\"");
  return quoted;
}

TEST(ReferenceEvaluatorTest, ComparisonsAreUndefinedAcrossTypesAndOnMissingMembers) {
  const ReferenceData data =
      Data({Twin("a", "thing", R"({"n":1})"), Twin("b", "thing", R"({"n":"x"})"), Twin("c"),
            Twin("d", "thing", R"({"n":null})"), Twin("e", "thing", R"({"n":2})")});
  EXPECT_EQ(Where("n != 1", data), Ids({"e"}));
  EXPECT_EQ(Where("n = 1.0", data), Ids({"a"}));
  EXPECT_EQ(Where("n = null", data), Ids({"d"}));
  EXPECT_EQ(Where("n <= null", data), Ids({"d"}));
  EXPECT_EQ(Where("n < null", data), Ids({}));
  EXPECT_EQ(Where("n >= 'a'", data), Ids({"b"}));
}

TEST(ReferenceEvaluatorTest, LogicIsThreeValued) {
  const ReferenceData data =
      Data({Twin("a", "thing", R"({"n":1})"), Twin("b", "thing", R"({"n":"x"})"), Twin("c"),
            Twin("e", "thing", R"({"n":2})")});
  EXPECT_EQ(Where("NOT (n = 1)", data), Ids({"e"}));  // NOT undefined stays undefined
  EXPECT_EQ(Where("n = 1 OR NOT IS_DEFINED(n)", data), Ids({"a", "c"}));
  EXPECT_EQ(Where("NOT (n = 1 AND n = 'x')", data), Ids({"e"}));  // false AND undefined = false
  EXPECT_EQ(Where("n = 1 OR n = 'x'", data), Ids({"a", "b"}));    // true OR undefined = true
  EXPECT_EQ(Where("NOT (n = 1 OR n = 'x')", data), Ids({}));      // false OR undefined: undefined
}

TEST(ReferenceEvaluatorTest, SameTypeComparisons) {
  const ReferenceData data =
      Data({Twin("lower", "thing",
                 R"({"s":"a","f":false,"o":{"x":1,"y":[1,2]},"p":{"y":[1,2.0],"x":1}})"),
            Twin("upper", "thing", R"({"s":"B","f":true,"o":[1],"p":[2]})")});
  EXPECT_EQ(Where("s < 'a'", data), Ids({"upper"}));  // ordinal: 'B' (0x42) < 'a' (0x61)
  EXPECT_EQ(Where("f < true", data), Ids({"lower"}));
  EXPECT_EQ(
      Sorted(Column(Evaluate("SELECT T.$dtId FROM DIGITALTWINS T WHERE T.o = T.p", data), "$dtId")),
      Ids({"lower"}));  // deep, member-order-free, 2 = 2.0
  EXPECT_EQ(Where("NOT (o < p) OR NOT (o >= p)", data), Ids({}));  // no order on arrays/objects
  EXPECT_EQ(Where("o != p", data), Ids({"upper"}));
}

TEST(ReferenceEvaluatorTest, TypeFunctions) {
  const ReferenceData data =
      Data({Twin("null", "thing", R"({"v":null})"), Twin("bool", "thing", R"({"v":true})"),
            Twin("num", "thing", R"({"v":1.5})"), Twin("str", "thing", R"({"v":"Hello"})"),
            Twin("arr", "thing", R"({"v":[1,[2,3],"x"]})"),
            Twin("obj", "thing", R"({"v":{"k":1}})"), Twin("none")});
  EXPECT_EQ(Where("NOT IS_DEFINED(v)", data), Ids({"none"}));
  EXPECT_EQ(Where("is_defined(v.k)", data), Ids({"obj"}));
  EXPECT_EQ(Where("IS_NULL(v)", data), Ids({"null"}));
  EXPECT_EQ(Where("NOT IS_NULL(v) AND NOT IS_DEFINED(v)", data), Ids({"none"}));
  EXPECT_EQ(Where("IS_BOOL(v)", data), Ids({"bool"}));
  EXPECT_EQ(Where("IS_NUMBER(v)", data), Ids({"num"}));
  EXPECT_EQ(Where("IS_STRING(v)", data), Ids({"str"}));
  EXPECT_EQ(Where("IS_OBJECT(v)", data), Ids({"obj"}));
  EXPECT_EQ(Where("IS_PRIMITIVE(v)", data), Ids({"bool", "null", "num", "str"}));
  EXPECT_EQ(Where("NOT IS_PRIMITIVE(v)", data), Ids({"arr", "none", "obj"}));
}

TEST(ReferenceEvaluatorTest, StringAndArrayFunctions) {
  const ReferenceData data =
      Data({Twin("num", "thing", R"({"v":1.5})"), Twin("str", "thing", R"({"v":"Hello"})"),
            Twin("arr", "thing", R"({"v":[1,[2,3],"x"]})"), Twin("none")});
  EXPECT_EQ(Where("STARTSWITH(v, 'He')", data), Ids({"str"}));
  EXPECT_EQ(Where("STARTS_WITH(v, 'He')", data), Ids({"str"}));
  EXPECT_EQ(Where("STARTSWITH(v, 'he')", data), Ids({}));
  EXPECT_EQ(Where("ENDSWITH(v, 'llo')", data), Ids({"str"}));
  EXPECT_EQ(Where("ENDS_WITH(v, 'llo')", data), Ids({"str"}));
  EXPECT_EQ(Where("CONTAINS(v, 'ell')", data), Ids({"str"}));
  EXPECT_EQ(Where("CONTAINS(v, 'ELL')", data), Ids({}));
  EXPECT_EQ(Where("NOT CONTAINS(v, 'zzz')", data), Ids({"str"}));  // undefined on non-strings
  EXPECT_EQ(Where("NOT STARTSWITH($dtId, v)", data), Ids({"str"}));
  EXPECT_EQ(Where("ARRAY_CONTAINS(v, 1.0)", data), Ids({"arr"}));
  EXPECT_EQ(Where("ARRAY_CONTAINS(v, 'x')", data), Ids({"arr"}));
  EXPECT_EQ(Where("ARRAY_CONTAINS(v, 2)", data), Ids({}));  // nested arrays are not searched
  EXPECT_EQ(Where("NOT ARRAY_CONTAINS(v, 2)", data), Ids({"arr"}));
}

TEST(ReferenceEvaluatorTest, BadFunctionCallsAreErrors) {
  const ReferenceData data = Data({Twin("a")});
  EXPECT_NE(ErrorOf("SELECT * FROM DIGITALTWINS WHERE LENGTH(v) = 1", data).find("LENGTH"),
            std::string::npos);
  EXPECT_NE(ErrorOf("SELECT * FROM DIGITALTWINS WHERE IS_DEFINED(v, v)", data), "");
  EXPECT_NE(ErrorOf("SELECT * FROM DIGITALTWINS WHERE CONTAINS(v)", data), "");
  EXPECT_NE(ErrorOf("SELECT * FROM DIGITALTWINS WHERE COUNT() = 1", data), "");
}

TEST(ReferenceEvaluatorTest, IsOfModel) {
  const ReferenceData data = Data({Twin("b", "base"), Twin("m", "mid"), Twin("l", "leaf"),
                                   Twin("o", "other"), Twin("x", "thing", "{}")},
                                  {Rel("r", "b", "has", "m")});
  EXPECT_EQ(Where("IS_OF_MODEL('dtmi:test:base;1')", data), Ids({"b", "l", "m"}));
  EXPECT_EQ(Where("IS_OF_MODEL('dtmi:test:base;1', exact)", data), Ids({"b"}));
  EXPECT_EQ(Where("IS_OF_MODEL('dtmi:test:mid;1', EXACT)", data), Ids({"m"}));
  EXPECT_EQ(Sorted(Column(Evaluate("SELECT T.$dtId FROM DIGITALTWINS T WHERE "
                                   "IS_OF_MODEL(T, 'dtmi:test:mid;1')",
                                   data),
                          "$dtId")),
            Ids({"l", "m"}));
  EXPECT_EQ(Column(Evaluate("SELECT C.$dtId FROM DIGITALTWINS T JOIN C RELATED T.has WHERE "
                            "T.$dtId = 'b' AND IS_OF_MODEL(C, 'dtmi:test:mid;1', exact)",
                            data),
                   "$dtId"),
            Ids({"m"}));
  EXPECT_NE(ErrorOf("SELECT * FROM RELATIONSHIPS WHERE IS_OF_MODEL('dtmi:test:base;1')", data), "");
  EXPECT_NE(ErrorOf("SELECT C FROM DIGITALTWINS T JOIN C RELATED T.has WHERE T.$dtId = 'b' "
                    "AND IS_OF_MODEL('dtmi:test:mid;1')",
                    data)
                .find("alias"),
            std::string::npos);
  EXPECT_NE(ErrorOf("SELECT C FROM DIGITALTWINS T JOIN C RELATED T.has R WHERE T.$dtId = 'b' "
                    "AND IS_OF_MODEL(R, 'dtmi:test:mid;1')",
                    data),
            "");
  EXPECT_NE(ErrorOf("SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(X, 'dtmi:test:b;1')", data),
            "");
  EXPECT_NE(ErrorOf("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:test:b;1', 'x')", data),
            "");
}

TEST(ReferenceEvaluatorTest, InAndNin) {
  const ReferenceData data =
      Data({Twin("a", "thing", R"({"n":1})"), Twin("b", "thing", R"({"n":"x"})"), Twin("c"),
            Twin("d", "thing", R"({"n":null})")});
  EXPECT_EQ(Where("n IN [1.0, 'x']", data), Ids({"a", "b"}));
  EXPECT_EQ(Where("n IN [null]", data), Ids({"d"}));
  EXPECT_EQ(Where("n NIN [1]", data), Ids({"b", "d"}));  // undefined stays out
  EXPECT_EQ(Where("NOT (n IN [1])", data), Ids({"b", "d"}));
  EXPECT_EQ(Where("n NOT IN ['x', 2]", data), Ids({"a", "d"}));
}

TEST(ReferenceEvaluatorTest, ProjectionsAndColumnNames) {
  const ReferenceData data = Data({Twin("j", "thing", R"({"name":"John","age":27,"o":{"k":"v"}})"),
                                   Twin("k", "thing", R"({"name":"Keanu"})")});
  const ReferenceResult plain = Evaluate("SELECT name, age FROM DIGITALTWINS", data);
  ASSERT_EQ(plain.rows.size(), 2u);
  EXPECT_EQ(Sorted(Column(plain, "age")), (std::vector<std::string>{"-", "27"}));
  EXPECT_FALSE(plain.ordered);
  const ReferenceResult named = Evaluate(
      "SELECT T.$metadata.$model, T.name AS who, T.o.k, T.name.first, T FROM DIGITALTWINS "
      "T WHERE T.$dtId = 'j'",
      data);
  ASSERT_EQ(named.rows.size(), 1u);
  const boost::json::object& row = named.rows[0];
  EXPECT_EQ(row.size(), 4u) << WriteJson(row);  // T.name.first steps into a string: omitted
  EXPECT_EQ(row.at("$model"), "dtmi:test:thing;1");
  EXPECT_EQ(row.at("who"), "John");
  EXPECT_EQ(row.at("k"), "v");
  EXPECT_EQ(row.at("T"), data.twins[0]);
  EXPECT_NE(ErrorOf("SELECT T.name, T.name FROM DIGITALTWINS T", data).find("name"),
            std::string::npos);
  EXPECT_EQ(Evaluate("SELECT T.name, T.name AS again FROM DIGITALTWINS T", data).rows.size(), 2u);
  EXPECT_NE(ErrorOf("SELECT X.name FROM DIGITALTWINS T", data), "");
  EXPECT_NE(ErrorOf("SELECT * FROM DIGITALTWINS T WHERE name = 'John'", data), "");
}

TEST(ReferenceEvaluatorTest, StarTopAndCount) {
  const ReferenceData data = Data({Twin("a"), Twin("b"), Twin("c")}, {Rel("r", "a", "x", "b")});
  const ReferenceResult top = Evaluate("SELECT TOP(2) FROM DIGITALTWINS", data);
  EXPECT_EQ(top.rows.size(), 3u);  // TOP is left to the caller
  EXPECT_EQ(top.top, 2);
  EXPECT_EQ(top.rows[0], data.twins[0]);
  const ReferenceResult relationships = Evaluate("SELECT * FROM RELATIONSHIPS R", data);
  ASSERT_EQ(relationships.rows.size(), 1u);
  EXPECT_EQ(relationships.rows[0], data.relationships[0]);
  const ReferenceResult count =
      Evaluate("SELECT COUNT() FROM DIGITALTWINS WHERE $dtId != 'a'", data);
  ASSERT_EQ(count.rows.size(), 1u);
  EXPECT_EQ(WriteJson(count.rows[0]), R"({"COUNT":2})");
  EXPECT_EQ(WriteJson(Evaluate("SELECT COUNT() FROM RELATIONSHIPS", data).rows.at(0)),
            R"({"COUNT":1})");
  EXPECT_NE(ErrorOf("SELECT * FROM DIGITALTWINS T JOIN U RELATED T.x WHERE T.$dtId = 'a'", data)
                .find("SELECT *"),
            std::string::npos);
}

// Building B1 -contains-> floors F1, F2 -contains-> rooms; R1 -hasSensor-> S1; F1 -servedBy-> R1.
ReferenceData Building() {
  return Data(
      {Twin("B1", "building"), Twin("B2", "building"), Twin("F1", "floor"), Twin("F2", "floor"),
       Twin("R1", "room"), Twin("R2", "room"), Twin("R3", "room"), Twin("S1", "sensor")},
      {Rel("c1", "B1", "contains", "F1"), Rel("c2", "B1", "contains", "F2"),
       Rel("c3", "F1", "contains", "R1"), Rel("c4", "F1", "contains", "R2"),
       Rel("c5", "F2", "contains", "R3"), Rel("h1", "R1", "hasSensor", "S1", R"({"kind":"temp"})"),
       Rel("s1", "F1", "servedBy", "R1"), Rel("n1", "B1", "next", "B2")});
}

TEST(ReferenceEvaluatorTest, AnchoringRule) {
  ReferenceData data = Building();
  const std::string join = "SELECT F FROM DIGITALTWINS B JOIN F RELATED B.contains R";
  EXPECT_NE(ErrorOf(join, data).find("$dtId"), std::string::npos);
  EXPECT_NE(ErrorOf(join + " WHERE B.name = 'x'", data), "");
  EXPECT_NE(ErrorOf(join + " WHERE B.$dtId = 'B1' OR F.x = 1", data), "");
  EXPECT_NE(ErrorOf(join + " WHERE F.x = 1 OR F.x = 2 AND F.$dtId = 'F1'", data), "");
  EXPECT_NE(ErrorOf(join + " WHERE NOT (B.$dtId != 'B1')", data), "");
  EXPECT_NE(ErrorOf(join + " WHERE R.$dtId = 'B1'", data), "");  // R is a relationship
  EXPECT_NE(ErrorOf("SELECT F FROM DIGITALTWINS MATCH (B)-[]->(F)", data), "");
  // Any twin alias, as a conjunct anywhere in the top-level AND tree, with = or IN.
  EXPECT_EQ(Column(Evaluate(join + " WHERE F.$dtId = 'F2'", data), "F").size(), 1u);
  EXPECT_EQ(Column(Evaluate(join + " WHERE IS_DEFINED(F.$dtId) AND (B.$dtId IN ['B1', 'B2'] AND "
                                   "F.$dtId != 'F1')",
                            data),
                   "F"),
            std::vector<std::string>{WriteJson(data.twins[3])});
  data.allow_unanchored_traversals = true;
  EXPECT_EQ(Evaluate(join, data).rows.size(), 5u);  // every contains relationship
}

TEST(ReferenceEvaluatorTest, JoinChains) {
  const ReferenceData data = Building();
  const ReferenceResult pairs = Evaluate(
      "SELECT B.$dtId AS b, F.$dtId AS f FROM DIGITALTWINS B JOIN F RELATED B.contains WHERE "
      "B.$dtId = 'B1'",
      data);
  EXPECT_EQ(Sorted(Column(pairs, "f")), Ids({"F1", "F2"}));
  EXPECT_EQ(Column(pairs, "b"), Ids({"B1", "B1"}));
  EXPECT_EQ(Sorted(Column(Evaluate("SELECT R.$dtId FROM DIGITALTWINS B JOIN F RELATED B.contains "
                                   "JOIN R RELATED F.contains WHERE B.$dtId = 'B1'",
                                   data),
                          "$dtId")),
            Ids({"R1", "R2", "R3"}));
  // Inner join: only the room with a sensor survives; the relationship alias binds it.
  const ReferenceResult sensor = Evaluate(
      "SELECT S.$dtId, Rel.kind, Rel FROM DIGITALTWINS B JOIN F RELATED B.contains JOIN R "
      "RELATED F.contains JOIN S RELATED R.hasSensor Rel WHERE B.$dtId = 'B1'",
      data);
  ASSERT_EQ(sensor.rows.size(), 1u);
  EXPECT_EQ(sensor.rows[0].at("$dtId"), "S1");
  EXPECT_EQ(sensor.rows[0].at("kind"), "temp");
  EXPECT_EQ(sensor.rows[0].at("Rel"), data.relationships[5]);
  // Anchored on the last alias; two JOINs from the same source multiply.
  EXPECT_EQ(Column(Evaluate("SELECT F.$dtId FROM DIGITALTWINS B JOIN F RELATED B.contains JOIN "
                            "R RELATED F.contains WHERE R.$dtId = 'R2'",
                            data),
                   "$dtId"),
            Ids({"F1"}));
  EXPECT_EQ(Evaluate("SELECT F, N FROM DIGITALTWINS B JOIN F RELATED B.contains JOIN N RELATED "
                     "B.next WHERE B.$dtId = 'B1'",
                     data)
                .rows.size(),
            2u);
  EXPECT_EQ(Evaluate("SELECT F FROM DIGITALTWINS B JOIN F RELATED B.Contains WHERE B.$dtId = "
                     "'B1'",
                     data)
                .rows.size(),
            0u);  // relationship names are case-sensitive
  EXPECT_NE(
      ErrorOf("SELECT F FROM DIGITALTWINS B JOIN F RELATED X.contains WHERE B.$dtId = 'B1'", data),
      "");
  EXPECT_NE(ErrorOf("SELECT G FROM DIGITALTWINS B JOIN F RELATED B.contains R JOIN G RELATED "
                    "R.contains WHERE B.$dtId = 'B1'",
                    data),
            "");
  EXPECT_NE(
      ErrorOf("SELECT B FROM DIGITALTWINS B JOIN B RELATED B.contains WHERE B.$dtId = 'B1'", data)
          .find("twice"),
      std::string::npos);
  EXPECT_NE(ErrorOf("SELECT F FROM DIGITALTWINS B JOIN F RELATED B.contains F WHERE B.$dtId = "
                    "'B1'",
                    data),
            "");
}

// The `far` twins of `SELECT far.$dtId FROM DIGITALTWINS MATCH <pattern> WHERE <anchor>`.
std::vector<std::string> Matched(std::string_view pattern, std::string_view anchor,
                                 const ReferenceData& data) {
  return Sorted(Column(Evaluate("SELECT X.$dtId FROM DIGITALTWINS MATCH " + std::string(pattern) +
                                    " WHERE " + std::string(anchor),
                                data),
                       "$dtId"));
}

TEST(ReferenceEvaluatorTest, MatchDirectionsAndNames) {
  const ReferenceData data = Building();
  EXPECT_EQ(Matched("(B)-[:contains]->(X)", "B.$dtId = 'B1'", data), Ids({"F1", "F2"}));
  EXPECT_EQ(Matched("(R)<-[:contains]-(X)", "R.$dtId = 'R1'", data), Ids({"F1"}));
  EXPECT_EQ(Matched("(B)<-[:contains]-(X)", "B.$dtId = 'B1'", data), Ids({}));
  EXPECT_EQ(Matched("(F)-[:contains]-(X)", "F.$dtId = 'F1'", data), Ids({"B1", "R1", "R2"}));
  EXPECT_EQ(Matched("(F)-[]->(X)", "F.$dtId = 'F1'", data), Ids({"R1", "R1", "R2"}));
  EXPECT_EQ(Matched("(F)-[:servedBy|hasSensor]->(X)", "F.$dtId = 'F1'", data), Ids({"R1"}));
  EXPECT_EQ(Matched("(F)-[contains|servedBy]->(X)", "F.$dtId = 'F1'", data),
            Ids({"R1", "R1", "R2"}));
  EXPECT_EQ(Matched("(F)-[:Contains]->(X)", "F.$dtId = 'F1'", data), Ids({}));
  EXPECT_EQ(Matched("(B)-[:contains]->()-[:contains]->(X)", "B.$dtId = 'B1'", data),
            Ids({"R1", "R2", "R3"}));
  EXPECT_EQ(Matched("(X)", "X.$dtId = 'R1'", data), Ids({"R1"}));
  const ReferenceResult edge =
      Evaluate("SELECT r FROM DIGITALTWINS MATCH (F)-[r:servedBy]->(X) WHERE X.$dtId = 'R1'", data);
  ASSERT_EQ(edge.rows.size(), 1u);
  EXPECT_EQ(edge.rows[0].at("r"), data.relationships[6]);
  EXPECT_NE(ErrorOf("SELECT * FROM DIGITALTWINS MATCH (B)-[]->(X) WHERE B.$dtId = 'B1'", data), "");
}

TEST(ReferenceEvaluatorTest, MatchHops) {
  const ReferenceData data = Building();
  EXPECT_EQ(Matched("(B)-[:contains*2]->(X)", "B.$dtId = 'B1'", data), Ids({"R1", "R2", "R3"}));
  // ADT's lower bound is exclusive: *1..2 is 2 hops only.
  EXPECT_EQ(Matched("(B)-[:contains*1..2]->(X)", "B.$dtId = 'B1'", data), Ids({"R1", "R2", "R3"}));
  EXPECT_EQ(Matched("(B)-[:contains*..2]->(X)", "B.$dtId = 'B1'", data),
            Ids({"F1", "F2", "R1", "R2", "R3"}));
  EXPECT_EQ(Matched("(B)-[:contains|hasSensor*3]->(X)", "B.$dtId = 'B1'", data), Ids({"S1"}));
  // Each reachable twin once, however many paths lead there (R1: contains and servedBy).
  EXPECT_EQ(Matched("(B)-[:contains|servedBy*2]->(X)", "B.$dtId = 'B1'", data),
            Ids({"R1", "R2", "R3"}));
  EXPECT_EQ(Matched("(S)<-[*1..3]-(X)", "S.$dtId = 'S1'", data), Ids({"B1", "F1"}));
  // *2..4 is 3..4 hops: F1 only through the R1 cycle (contains, then servedBy back).
  EXPECT_EQ(Matched("(B)-[*2..4]-(X)", "B.$dtId = 'B2'", data),
            Ids({"F1", "R1", "R2", "R3", "S1"}));
}

ReferenceData Links(std::vector<boost::json::object> relationships) {
  return Data({Twin("A"), Twin("B"), Twin("C")}, std::move(relationships));
}

TEST(ReferenceEvaluatorTest, MatchNeverUsesARelationshipTwice) {
  const ReferenceData line = Links({Rel("ab", "A", "link", "B"), Rel("bc", "B", "link", "C")});
  EXPECT_EQ(Matched("(a)-[:link]-(b)-[:link]-(X)", "a.$dtId = 'A'", line), Ids({"C"}));
  EXPECT_EQ(Matched("(a)-[:link]->(b)<-[:link]-(X)", "a.$dtId = 'A'", line), Ids({}));
  EXPECT_EQ(Matched("(a)-[:link*2]-(X)", "a.$dtId = 'A'", line), Ids({"C"}));
  EXPECT_EQ(Matched("(a)-[:link*3]-(X)", "a.$dtId = 'A'", line), Ids({}));
  // A variable-hop edge may reuse a relationship bound by another edge of the row.
  EXPECT_EQ(Matched("(a)-[:link]->(b)-[:link*..2]-(X)", "a.$dtId = 'A'", line), Ids({"A", "C"}));
  const ReferenceData cycle = Links({Rel("ab", "A", "link", "B"), Rel("ba", "B", "link", "A")});
  EXPECT_EQ(Matched("(a)-[:link*2]->(X)", "a.$dtId = 'A'", cycle), Ids({"A"}));
  EXPECT_EQ(Matched("(a)-[:link*3]->(X)", "a.$dtId = 'A'", cycle), Ids({}));
  const ReferenceData loop = Links({Rel("aa", "A", "link", "A")});
  EXPECT_EQ(Matched("(a)-[:link]-(X)", "a.$dtId = 'A'", loop), Ids({"A"}));
}

TEST(ReferenceEvaluatorTest, MatchRepeatedNodeAliasBindsOneTwin) {
  const ReferenceData data = Links(
      {Rel("ab", "A", "link", "B"), Rel("ba", "B", "link", "A"), Rel("bc", "B", "link", "C")});
  const ReferenceResult rows = Evaluate(
      "SELECT a.$dtId AS a, b.$dtId AS b FROM DIGITALTWINS MATCH (a)-[:link]->(b)-[:link]->(a) "
      "WHERE a.$dtId = 'A'",
      data);
  EXPECT_EQ(Column(rows, "b"), Ids({"B"}));
  EXPECT_NE(ErrorOf("SELECT a FROM DIGITALTWINS MATCH (a)-[a]->(b) WHERE a.$dtId = 'A'", data), "");
  EXPECT_NE(
      ErrorOf("SELECT a FROM DIGITALTWINS MATCH (a)-[r]->(b)-[r]->(c) WHERE a.$dtId = 'A'", data),
      "");
  EXPECT_NE(ErrorOf("SELECT a FROM DIGITALTWINS a MATCH (a)-[]->(b) WHERE a.$dtId = 'A'", data),
            "");
}

TEST(ReferenceEvaluatorTest, OrderByTypeOrder) {
  const ReferenceData data =
      Data({Twin("u"), Twin("n", "thing", R"({"v":null})"), Twin("f", "thing", R"({"v":false})"),
            Twin("t", "thing", R"({"v":true})"), Twin("two", "thing", R"({"v":2})"),
            Twin("ten", "thing", R"({"v":10.0})"), Twin("la", "thing", R"({"v":"a"})"),
            Twin("ub", "thing", R"({"v":"B"})"), Twin("arr", "thing", R"({"v":[1]})"),
            Twin("obj", "thing", R"({"v":{"x":1}})")});
  const ReferenceResult ascending =
      Evaluate("SELECT T.$dtId AS id FROM DIGITALTWINS T ORDER BY T.v", data);
  EXPECT_TRUE(ascending.ordered);
  EXPECT_EQ(Column(ascending, "id"),
            Ids({"u", "n", "f", "t", "two", "ten", "ub", "la", "arr", "obj"}));
  EXPECT_EQ(
      Column(Evaluate("SELECT T.$dtId AS id FROM DIGITALTWINS T ORDER BY T.v DESC", data), "id"),
      Ids({"obj", "arr", "la", "ub", "ten", "two", "t", "f", "n", "u"}));
  EXPECT_NE(ErrorOf("SELECT * FROM DIGITALTWINS T ORDER BY X.v", data), "");
}

TEST(ReferenceEvaluatorTest, OrderByKeysColumnsAndTies) {
  const ReferenceData data =
      Data({Twin("d", "thing", R"({"g":1,"x":3})"), Twin("a", "thing", R"({"g":1,"x":1})"),
            Twin("b", "thing", R"({"g":0,"x":5})"), Twin("c", "thing", R"({"g":1,"x":3})")});
  // A one-word key naming a result column sorts by it; ties keep the $dtId order.
  const ReferenceResult rows =
      Evaluate("SELECT T.$dtId AS id, T.x AS x FROM DIGITALTWINS T ORDER BY T.g, x DESC", data);
  EXPECT_EQ(Column(rows, "id"), Ids({"b", "c", "d", "a"}));
  EXPECT_EQ(Column(Evaluate("SELECT $dtId FROM DIGITALTWINS ORDER BY g DESC", data), "$dtId"),
            Ids({"a", "c", "d", "b"}));
  EXPECT_EQ(Column(Evaluate("SELECT * FROM DIGITALTWINS", data), "$dtId"),
            Ids({"a", "b", "c", "d"}));  // natural order, though callers must not rely on it
}

// Twins with a floor and a temperature, for GROUP BY.
ReferenceData Floors() {
  return Data({Twin("a", "thing", R"({"floor":1,"temp":10})"),
               Twin("b", "thing", R"({"floor":1,"temp":20})"),
               Twin("c", "thing", R"({"floor":2,"temp":"hot"})"),
               Twin("d", "thing", R"({"floor":2})"), Twin("e", "thing", R"({"temp":5})"),
               Twin("f", "thing", R"({"floor":1.0,"temp":30})"),
               Twin("g", "thing", R"({"floor":3,"temp":1.5})"),
               Twin("h", "thing", R"({"floor":3,"temp":2})")});
}

TEST(ReferenceEvaluatorTest, GroupByWithEachAggregate) {
  const ReferenceResult groups = Evaluate(
      "SELECT T.floor, COUNT() AS n, SUM(T.temp) AS s, AVG(T.temp) AS a, MIN(T.temp) AS lo, "
      "MAX(T.temp) AS hi FROM DIGITALTWINS T GROUP BY T.floor",
      Floors());
  EXPECT_TRUE(groups.ordered);
  ASSERT_EQ(groups.rows.size(), 4u);
  // Groups in key order, undefined first (its column omitted); 1 and 1.0 are one key.
  EXPECT_EQ(groups.rows[0], Json(R"({"n":1,"s":5,"a":5.0,"lo":5,"hi":5})"));
  EXPECT_EQ(groups.rows[1], Json(R"({"floor":1,"n":3,"s":60,"a":20.0,"lo":10,"hi":30})"));
  EXPECT_EQ(groups.rows[2], Json(R"({"floor":2,"n":2,"s":0,"lo":"hot","hi":"hot"})"));
  EXPECT_EQ(groups.rows[3], Json(R"({"floor":3,"n":2,"s":3.5,"a":1.75,"lo":1.5,"hi":2})"));
  EXPECT_EQ(
      Column(Evaluate("SELECT T.floor FROM DIGITALTWINS T GROUP BY T.floor", Floors()), "floor"),
      (std::vector<std::string>{"-", "1", "2", "3"}));
  EXPECT_EQ(Column(Evaluate("SELECT floor, COUNT() AS n FROM DIGITALTWINS GROUP BY floor ORDER "
                            "BY n DESC, floor DESC",
                            Floors()),
                   "floor"),
            (std::vector<std::string>{"1", "3", "2", "-"}));
}

TEST(ReferenceEvaluatorTest, AggregatesWithoutGroupBy) {
  const ReferenceData data =
      Data({Twin("a", "thing", R"({"m":true})"), Twin("b", "thing", R"({"m":null})"),
            Twin("c", "thing", R"({"m":"x"})"), Twin("d", "thing", R"({"m":[1]})"),
            Twin("e", "thing", R"({"m":3})"), Twin("f")});
  const ReferenceResult extremes =
      Evaluate("SELECT MIN(T.m) AS lo, MAX(T.m), COUNT() FROM DIGITALTWINS T", data);
  EXPECT_FALSE(extremes.ordered);
  ASSERT_EQ(extremes.rows.size(), 1u);
  EXPECT_EQ(extremes.rows[0], Json(R"({"lo":null,"MAX":[1],"COUNT":6})"));
  const ReferenceResult none = Evaluate(
      "SELECT COUNT(), SUM(T.m), AVG(T.m), MIN(T.m) FROM DIGITALTWINS T WHERE T.$dtId = 'z'", data);
  ASSERT_EQ(none.rows.size(), 1u);
  EXPECT_EQ(none.rows[0], Json(R"({"COUNT":0,"SUM":0})"));
}

TEST(ReferenceEvaluatorTest, AggregateQueryErrors) {
  const ReferenceData data = Floors();
  EXPECT_NE(
      ErrorOf("SELECT T.temp, COUNT() FROM DIGITALTWINS T GROUP BY T.floor", data).find("T.temp"),
      std::string::npos);
  EXPECT_NE(ErrorOf("SELECT T.temp, COUNT() FROM DIGITALTWINS T", data), "");
  EXPECT_NE(ErrorOf("SELECT * FROM DIGITALTWINS T GROUP BY T.floor", data), "");
  EXPECT_NE(ErrorOf("SELECT T.floor, COUNT() FROM DIGITALTWINS T GROUP BY T.floor ORDER BY "
                    "T.temp",
                    data),
            "");
  EXPECT_NE(ErrorOf("SELECT COUNT(), COUNT() FROM DIGITALTWINS T", data), "");
  EXPECT_NE(ErrorOf("SELECT COUNT() FROM DIGITALTWINS T GROUP BY X.floor", data), "");
}

// 50 twins and 100 relationships from a fixed pseudo-random sequence: a denser graph than
// any corpus fixture.
ReferenceData RandomGraph() {
  ReferenceData data = Data({});
  for (int i = 0; i < 50; ++i) data.twins.push_back(Twin("t" + std::to_string(i)));
  uint32_t state = 12345;
  const auto next = [&state](uint32_t bound) {
    state = state * 1103515245u + 12345u;
    return (state >> 16) % bound;
  };
  for (int i = 0; i < 100; ++i) {
    data.relationships.push_back(Rel("r" + std::to_string(i), "t" + std::to_string(next(50)),
                                     next(2) == 0 ? "a" : "b", "t" + std::to_string(next(50))));
  }
  return data;
}

TEST(ReferenceEvaluatorTest, LongChainsStayFastOnCorpusSizedData) {
  ReferenceData data = RandomGraph();
  data.allow_unanchored_traversals = true;
  const auto start = std::chrono::steady_clock::now();
  const size_t joined =
      Evaluate(
          "SELECT COUNT() FROM DIGITALTWINS T0 JOIN T1 RELATED T0.a JOIN T2 RELATED T1.b "
          "JOIN T3 RELATED T2.a JOIN T4 RELATED T3.b JOIN T5 RELATED T4.a",
          data)
          .rows.size();
  const ReferenceResult reached =
      Evaluate("SELECT COUNT() FROM DIGITALTWINS MATCH (x)-[*..10]-(y)", data);
  const ReferenceResult chained =
      Evaluate("SELECT COUNT() FROM DIGITALTWINS MATCH (x)-[]-(y)-[:a]->(z)<-[*2..10]-(w)", data);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(joined, 1u);
  ASSERT_EQ(reached.rows.size(), 1u);
  EXPECT_GT(reached.rows[0].at("COUNT").as_int64(), 50);
  EXPECT_EQ(chained.rows.size(), 1u);
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(), 1000)
      << "three long traversals over 50 twins and 100 relationships";
}

}  // namespace
}  // namespace dtwin::query::testing
