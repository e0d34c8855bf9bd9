// QueryTwins through DigitalTwinsClient against `dtwin serve`: paging with continuation
// tokens and max_items_per_page, resuming, the query charge of each page, COUNT, TOP,
// projections, JOIN, MATCH, the RELATIONSHIPS collection, errors and read-your-writes; the
// scenarios of tests/conformance/python_sdk/test_query.py with the same expected results.
#include <algorithm>
#include <set>

#include "client_e2e_fixture.h"

namespace dtwin::client::testing {
namespace {

std::vector<std::string> PagedTwins() {
  std::vector<std::string> ids;
  for (int i = 0; i < 25; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "paged-%02d", i);
    ids.push_back(id);
  }
  return ids;
}

using Rows = std::vector<boost::json::object>;

Rows All(Pager<boost::json::object> pager) {
  Rows rows;
  for (boost::json::object& row : pager) rows.push_back(std::move(row));
  return rows;
}

std::vector<Page<boost::json::object>> Pages(Pager<boost::json::object> pager) {
  std::vector<Page<boost::json::object>> pages;
  while (std::optional<Page<boost::json::object>> page = pager.NextPage()) {
    pages.push_back(std::move(*page));
  }
  return pages;
}

// The sorted values of one string member of each row.
std::vector<std::string> Column(const Rows& rows, std::string_view member) {
  std::vector<std::string> values;
  for (const boost::json::object& row : rows) {
    const boost::json::value* value = row.if_contains(member);
    values.push_back(value != nullptr && value->is_string() ? std::string(value->as_string())
                                                            : "<missing>");
  }
  std::sort(values.begin(), values.end());
  return values;
}

class QueryClientE2eTest : public ClientE2eTest {
 protected:
  Rows Query(const std::string& text) { return All(client().QueryTwins(text)); }
  std::vector<std::string> Ids(const std::string& text) { return Column(Query(text), "$dtId"); }

  void ExpectQueryError(const std::string& text) {
    DigitalTwinsError error =
        ExpectError<DigitalTwinsError>([&] { Query(text); }, 400, "SqlQueryError");
    EXPECT_FALSE(error.message().empty()) << text;
  }
};

// 25 twins paged through continuation tokens.
class QueryPagingClientE2eTest : public QueryClientE2eTest {
 protected:
  static void SetUpTestSuite() {
    StartServer(/*upload_fixture_models=*/true);
    std::vector<std::string> ids = PagedTwins();
    for (size_t i = 0; i < ids.size(); ++i) {
      client().UpsertDigitalTwin(ids[i], RoomTwin(ids[i], {{"temperature", i}}));
    }
  }
};

TEST_F(QueryPagingClientE2eTest, PagesFollowContinuationTokensAndSeeEveryTwinOnce) {
  std::vector<Page<boost::json::object>> pages =
      Pages(client().QueryTwins("SELECT * FROM DIGITALTWINS", PageSize(4)));
  std::vector<std::string> seen;
  for (const Page<boost::json::object>& page : pages) {
    for (const boost::json::object& twin : page.items)
      seen.push_back(std::string(twin.at("$dtId").as_string()));
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, PagedTwins()) << "every twin exactly once";
  ASSERT_GE(pages.size(), 7u);
  for (size_t i = 0; i + 1 < pages.size(); ++i) {
    EXPECT_GT(pages[i].items.size(), 0u);
    EXPECT_LE(pages[i].items.size(), 4u);
    EXPECT_TRUE(pages[i].continuation_token.has_value()) << "page " << i;
  }
  EXPECT_LE(pages.back().items.size(), 4u);
  EXPECT_EQ(pages.back().continuation_token, std::nullopt);
}

TEST_F(QueryPagingClientE2eTest, RangeForOverSmallPages) {
  Rows rows = All(client().QueryTwins(
      "SELECT T.$dtId FROM DIGITALTWINS T WHERE T.temperature >= 10", PageSize(3)));
  std::vector<std::string> expected = PagedTwins();
  expected.erase(expected.begin(), expected.begin() + 10);
  EXPECT_EQ(Column(rows, "$dtId"), expected);
}

TEST_F(QueryPagingClientE2eTest, ResumeFromATokenInANewPager) {
  Pager<boost::json::object> pager =
      client().QueryTwins("SELECT * FROM DIGITALTWINS", PageSize(10));
  std::optional<Page<boost::json::object>> first = pager.NextPage();
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->items.size(), 10u);
  ASSERT_TRUE(first->continuation_token.has_value());
  Rows rows = first->items;
  for (boost::json::object& twin :
       client().QueryTwins("SELECT * FROM DIGITALTWINS", PageSize(10, first->continuation_token))) {
    rows.push_back(std::move(twin));
  }
  EXPECT_EQ(Column(rows, "$dtId"), PagedTwins());
}

TEST_F(QueryPagingClientE2eTest, QueryTextIsIgnoredWithAContinuationToken) {
  // Every page sends the query text too, as the SDKs do; ADT: "The query is ignored if a
  // continuation token is provided."
  Pager<boost::json::object> pager = client().QueryTwins("SELECT * FROM DIGITALTWINS", PageSize(5));
  std::optional<Page<boost::json::object>> first = pager.NextPage();
  ASSERT_TRUE(first.has_value());
  Rows rows = first->items;
  for (boost::json::object& twin : client().QueryTwins("SELECT COUNT() FROM RELATIONSHIPS",
                                                       PageSize(5, first->continuation_token))) {
    rows.push_back(std::move(twin));
  }
  EXPECT_EQ(Column(rows, "$dtId"), PagedTwins());
}

TEST_F(QueryPagingClientE2eTest, TopLimitsRowsAcrossPages) {
  std::vector<Page<boost::json::object>> pages =
      Pages(client().QueryTwins("SELECT TOP(10) FROM DIGITALTWINS", PageSize(4)));
  Rows rows;
  for (const Page<boost::json::object>& page : pages) {
    EXPECT_LE(page.items.size(), 4u);
    rows.insert(rows.end(), page.items.begin(), page.items.end());
  }
  std::vector<std::string> ids = Column(rows, "$dtId");
  EXPECT_EQ(ids.size(), 10u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 10u);
  EXPECT_EQ(Query("SELECT TOP(100) FROM DIGITALTWINS").size(), 25u);
}

TEST_F(QueryPagingClientE2eTest, CountIsOneRowWhateverThePageSize) {
  std::vector<Page<boost::json::object>> pages =
      Pages(client().QueryTwins("SELECT COUNT() FROM DIGITALTWINS", PageSize(4)));
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].items, Rows{JsonObject(R"({"COUNT":25})")});
  EXPECT_EQ(Query("select count() from digitaltwins where temperature < 5"),
            Rows{JsonObject(R"({"COUNT":5})")});
}

TEST_F(QueryPagingClientE2eTest, EachPageCarriesItsQueryCharge) {
  std::vector<Page<boost::json::object>> pages =
      Pages(client().QueryTwins("SELECT * FROM DIGITALTWINS", PageSize(10)));
  ASSERT_GE(pages.size(), 3u);
  size_t rows = 0;
  for (const Page<boost::json::object>& page : pages) {
    rows += page.items.size();
    ASSERT_TRUE(page.query_charge.has_value());
    EXPECT_GT(*page.query_charge, 0);
  }
  EXPECT_EQ(rows, 25u);
}

TEST_F(QueryPagingClientE2eTest, BadContinuationToken) {
  ExpectError<DigitalTwinsError>(
      [&] { All(client().QueryTwins("SELECT * FROM DIGITALTWINS", PageSize(10, "not-a-token"))); },
      400, "BadRequest");
}

TEST_F(QueryPagingClientE2eTest, OrderByExtensionHoldsAcrossPages) {
  std::vector<Page<boost::json::object>> pages = Pages(client().QueryTwins(
      "SELECT T.$dtId, T.temperature FROM DIGITALTWINS T ORDER BY T.temperature DESC",
      PageSize(6)));
  EXPECT_GE(pages.size(), 5u);
  std::vector<int64_t> temperatures;
  for (const Page<boost::json::object>& page : pages) {
    for (const boost::json::object& row : page.items) {
      temperatures.push_back(row.at("temperature").to_number<int64_t>());
    }
  }
  std::vector<int64_t> expected;
  for (int64_t t = 24; t >= 0; --t) expected.push_back(t);
  EXPECT_EQ(temperatures, expected);
}

// A small graph: two floors containing rooms (one a CornerRoom), rooms adjacent to rooms.
class QueryLanguageClientE2eTest : public QueryClientE2eTest {
 protected:
  static void SetUpTestSuite() {
    StartServer(/*upload_fixture_models=*/true);
    const std::string floor_model = R"({"$metadata":{"$model":")" + std::string(kFloor) + "\"},";
    client().UpsertDigitalTwin("floor1", JsonObject(floor_model + R"("level":1})"));
    client().UpsertDigitalTwin("floor2", JsonObject(floor_model + R"("level":2})"));
    client().UpsertDigitalTwin("room1",
                               RoomTwin("Kitchen", {{"temperature", 21}, {"occupied", true}}));
    client().UpsertDigitalTwin("room2", RoomTwin("Hall", {{"temperature", 18}}));
    client().UpsertDigitalTwin("room3", RoomTwin("Store"));
    boost::json::object corner = RoomTwin("Corner", {{"temperature", 25}, {"windows", 2}});
    corner["$metadata"].as_object()["$model"] = kCornerRoom;
    client().UpsertDigitalTwin("corner1", corner);
    struct Edge {
      const char* source;
      const char* id;
      const char* name;
      const char* target;
      const char* properties;
    };
    for (const Edge& edge : {Edge{"floor1", "f1-r1", "contains", "room1", R"("since":"2020")"},
                             Edge{"floor1", "f1-c1", "contains", "corner1", R"("since":"2021")"},
                             Edge{"floor1", "f1-r2", "contains", "room2", ""},
                             Edge{"floor2", "f2-r3", "contains", "room3", R"("since":"2020")"},
                             Edge{"room1", "r1-c1", "adjacentTo", "corner1", R"("door":true)"},
                             Edge{"corner1", "c1-r2", "adjacentTo", "room2", R"("door":false)"}}) {
      std::string body = std::string(R"({"$relationshipName":")") + edge.name +
                         R"(","$targetId":")" + edge.target + "\"" +
                         (*edge.properties ? std::string(",") + edge.properties : "") + "}";
      client().UpsertRelationship(edge.source, edge.id, JsonObject(body));
    }
  }
};

TEST_F(QueryLanguageClientE2eTest, SelectStarRowsAreTwinDocuments) {
  EXPECT_EQ(Query("SELECT * FROM DIGITALTWINS WHERE $dtId = 'room1'"),
            Rows{client().GetDigitalTwin("room1")});
}

TEST_F(QueryLanguageClientE2eTest, Count) {
  EXPECT_EQ(Query("SELECT COUNT() FROM DIGITALTWINS"), Rows{JsonObject(R"({"COUNT":6})")});
  EXPECT_EQ(Query("SELECT COUNT() FROM DIGITALTWINS T WHERE T.temperature > 20"),
            Rows{JsonObject(R"({"COUNT":2})")});
  EXPECT_EQ(Query("SELECT COUNT() FROM RELATIONSHIPS"), Rows{JsonObject(R"({"COUNT":6})")});
  EXPECT_EQ(Query("SELECT COUNT() FROM DIGITALTWINS WHERE name = 'nobody'"),
            Rows{JsonObject(R"({"COUNT":0})")});
}

TEST_F(QueryLanguageClientE2eTest, ProjectionsWithAsAndOmittedMembers) {
  Rows rows = Query(
      "SELECT T.$dtId AS id, T.name, T.temperature AS temp FROM DIGITALTWINS T "
      "WHERE IS_OF_MODEL(T, '" +
      std::string(kRoom) + "', exact)");
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.at("id").as_string() < b.at("id").as_string();
  });
  EXPECT_EQ(rows, (Rows{JsonObject(R"({"id":"room1","name":"Kitchen","temp":21})"),
                        JsonObject(R"({"id":"room2","name":"Hall","temp":18})"),
                        JsonObject(R"({"id":"room3","name":"Store"})")}));
}

TEST_F(QueryLanguageClientE2eTest, IsOfModelWithInheritance) {
  EXPECT_EQ(Ids("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('" + std::string(kRoom) + "')"),
            (std::vector<std::string>{"corner1", "room1", "room2", "room3"}));
  EXPECT_EQ(
      Ids("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('" + std::string(kRoom) + "', exact)"),
      (std::vector<std::string>{"room1", "room2", "room3"}));
  EXPECT_EQ(Ids("SELECT * FROM DIGITALTWINS WHERE NOT IS_OF_MODEL('" + std::string(kRoom) + "')"),
            (std::vector<std::string>{"floor1", "floor2"}));
}

TEST_F(QueryLanguageClientE2eTest, JoinWithRelationshipAliasAndFilter) {
  Rows rows = Query(
      "SELECT F, Room, Rel FROM DIGITALTWINS F JOIN Room RELATED F.contains Rel "
      "WHERE F.$dtId = 'floor1' AND Rel.since = '2021'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].size(), 3u);
  EXPECT_EQ(rows[0].at("F"), client().GetDigitalTwin("floor1"));
  EXPECT_EQ(rows[0].at("Room"), client().GetDigitalTwin("corner1"));
  EXPECT_EQ(rows[0].at("Rel"), client().GetRelationship("floor1", "f1-c1"));

  rows = Query(
      "SELECT Room.name AS room, Rel.since FROM DIGITALTWINS F "
      "JOIN Room RELATED F.contains Rel WHERE F.$dtId = 'floor1'");
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.at("room").as_string() < b.at("room").as_string();
  });
  EXPECT_EQ(rows, (Rows{JsonObject(R"({"room":"Corner","since":"2021"})"),
                        JsonObject(R"({"room":"Hall"})"),
                        JsonObject(R"({"room":"Kitchen","since":"2020"})")}));
}

TEST_F(QueryLanguageClientE2eTest, JoinChain) {
  Rows rows = Query(
      "SELECT B FROM DIGITALTWINS F JOIN A RELATED F.contains JOIN B RELATED A.adjacentTo "
      "WHERE F.$dtId = 'floor1'");
  std::vector<std::string> ids;
  for (const boost::json::object& row : rows)
    ids.push_back(std::string(row.at("B").at("$dtId").as_string()));
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"corner1", "room2"}));
}

TEST_F(QueryLanguageClientE2eTest, Match) {
  Rows rows = Query(
      "SELECT A.$dtId AS a, B.$dtId AS b FROM DIGITALTWINS "
      "MATCH (F)-[:contains]->(A)-[:adjacentTo]->(B) WHERE F.$dtId = 'floor1'");
  std::sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) {
    return x.at("a").as_string() < y.at("a").as_string();
  });
  EXPECT_EQ(rows, (Rows{JsonObject(R"({"a":"corner1","b":"room2"})"),
                        JsonObject(R"({"a":"room1","b":"corner1"})")}));
}

TEST_F(QueryLanguageClientE2eTest, RelationshipsCollection) {
  Rows rows = Query("SELECT * FROM RELATIONSHIPS WHERE $sourceId = 'floor1'");
  EXPECT_EQ(Column(rows, "$relationshipId"), (std::vector<std::string>{"f1-c1", "f1-r1", "f1-r2"}));
  EXPECT_EQ(Query("SELECT R.$relationshipId FROM RELATIONSHIPS R WHERE R.door = false"),
            Rows{JsonObject(R"({"$relationshipId":"c1-r2"})")});
}

TEST_F(QueryLanguageClientE2eTest, BadQueriesAreSqlQueryErrors) {
  for (const char* text : {"foo", "SELECT * FROM DIGITALTWINS WHERE",
                           "SELECT * FROM DIGITALTWINS WHERE NO_SUCH_FUNCTION(name)",
                           "SELECT R FROM DIGITALTWINS F JOIN R RELATED F.contains"}) {
    SCOPED_TRACE(text);
    ExpectQueryError(text);
  }
}

// dtwin's queries see every acknowledged write at once.
class QueryReadYourWritesClientE2eTest : public QueryClientE2eTest {
 protected:
  static void SetUpTestSuite() { StartServer(/*upload_fixture_models=*/true); }
};

TEST_F(QueryReadYourWritesClientE2eTest, CreatedPatchedDeletedTwin) {
  const std::string text = "SELECT T.temperature FROM DIGITALTWINS T WHERE T.$dtId = 'ryw'";
  EXPECT_TRUE(Query(text).empty());
  client().UpsertDigitalTwin("ryw", RoomTwin("Kitchen", {{"temperature", 1}}));
  EXPECT_EQ(Query(text), Rows{JsonObject(R"({"temperature":1})")});
  client().UpdateDigitalTwin("ryw",
                             JsonArray(R"([{"op":"replace","path":"/temperature","value":99}])"));
  EXPECT_EQ(Query(text), Rows{JsonObject(R"({"temperature":99})")});
  client().UpdateDigitalTwin("ryw", JsonArray(R"([{"op":"remove","path":"/temperature"}])"));
  EXPECT_EQ(Query(text), Rows{boost::json::object()});
  client().DeleteDigitalTwin("ryw");
  EXPECT_TRUE(Query(text).empty());
}

}  // namespace
}  // namespace dtwin::client::testing
