// ExecuteQuery over a graph built in the test: paging guarantees while the graph changes
// between pages, TOP across pages, page sizes, bad tokens, timeouts, the unanchored opt-in
// and the query charge. (What rows queries return is the corpus's job: query_corpus_test.cc.)
#include "query/query_engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <map>
#include <random>
#include <set>
#include <string>

#include "common/json_writer.h"
#include "graph/graph_documents.h"

namespace dtwin::query {
namespace {

namespace json = boost::json;

constexpr std::string_view kRoom = "dtmi:test:Room;1";

class QueryEngineTest : public ::testing::Test {
 protected:
  void AddTwin(const std::string& id, int rank) {
    graph::Twin twin;
    twin.id = id;
    twin.model_id = std::string(kRoom);
    twin.etag = graph::NewEtag();
    twin.document = json::object{{"$dtId", id},
                                 {"$etag", twin.etag},
                                 {"rank", rank},
                                 {"$metadata", json::object{{"$model", kRoom}}}};
    graph_.UpsertTwin(std::move(twin));
  }

  void AddRelationship(const std::string& source, const std::string& id,
                       const std::string& target) {
    graph_.UpsertRelationship(
        graph::Relationship{id, source, target, "contains", graph::NewEtag(), json::object{}});
  }

  Result<QueryPage> Run(std::string_view text, std::string_view continuation = "",
                        size_t max_items = 0) {
    return ExecuteQuery(
        graph_, catalog_, options_,
        QueryRequest{.text = text, .continuation = continuation, .max_items = max_items});
  }

  // Every page of text, calling between_pages after each one; the rows as JSON.
  std::vector<json::object> RunAllPages(
      std::string_view text, size_t page_size, const std::function<void()>& between_pages = [] {}) {
    std::vector<json::object> rows;
    std::string continuation;
    for (int pages = 0; pages < 10000; ++pages) {
      Result<QueryPage> page = Run(text, continuation, page_size);
      EXPECT_TRUE(page.ok()) << page.status().message();
      if (!page.ok()) break;
      EXPECT_LE(page->rows.size(), page_size);
      for (const std::string& row : page->rows) rows.push_back(json::parse(row).as_object());
      if (page->continuation.empty()) break;
      continuation = page->continuation;
      between_pages();
    }
    return rows;
  }

  graph::TwinGraph graph_;
  QueryCatalog catalog_{
      .model_and_descendants =
          [](std::string_view id) { return std::vector<std::string>{std::string(id)}; },
      .append_twin_json =
          [](const graph::Twin& twin, std::string& out) {
            AppendJson(graph::ExpandTwinDocument(twin.document), out);
          },
  };
  QueryOptions options_;
};

std::string Id(int n) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "t%04d", n);
  return buffer;
}

// The guarantee docs/query.md states: a row that exists from the first page to the last is
// returned exactly once, whatever is created, changed or deleted in between.
TEST_F(QueryEngineTest, PagesNeverSkipOrRepeatARowThatExistsThroughout) {
  for (int i = 0; i < 300; i += 2) AddTwin(Id(i), i % 7);
  std::set<std::string> deleted;
  std::mt19937 random(42);
  int next_new = 1;
  auto churn = [&] {
    // Create twins between existing ones, delete some (returned or not), rewrite others.
    AddTwin(Id(next_new), 1);
    next_new += 2;
    const std::string victim = Id(static_cast<int>(random() % 150) * 2);
    if (graph_.EraseTwin(victim)) deleted.insert(victim);
    const std::string rewritten = Id(static_cast<int>(random() % 150) * 2);
    if (graph_.FindTwin(rewritten) != nullptr) AddTwin(rewritten, 3);
  };
  const std::vector<json::object> rows =
      RunAllPages("SELECT T.$dtId FROM DIGITALTWINS T", 7, churn);

  std::map<std::string, int> seen;
  for (const json::object& row : rows) ++seen[std::string(row.at("$dtId").as_string())];
  for (const auto& [id, times] : seen) EXPECT_EQ(times, 1) << id << " returned twice";
  for (int i = 0; i < 300; i += 2) {
    if (deleted.contains(Id(i))) continue;
    EXPECT_TRUE(seen.contains(Id(i))) << Id(i) << " existed throughout but was skipped";
  }
  EXPECT_GT(deleted.size(), 10u);  // the churn really deleted twins mid-listing
}

TEST_F(QueryEngineTest, OrderedPagesNeverSkipOrRepeatWhileOtherRowsChange) {
  for (int i = 0; i < 60; ++i) AddTwin(Id(i), i % 5);
  int extra = 1000;
  auto churn = [&] {
    AddTwin(Id(extra++), 2);                   // lands in the middle of the order
    graph_.EraseTwin(Id(1000 + (extra % 3)));  // and some of those go again
  };
  const std::vector<json::object> rows =
      RunAllPages("SELECT T.$dtId, T.rank FROM DIGITALTWINS T ORDER BY T.rank DESC", 4, churn);
  std::map<std::string, int> seen;
  int64_t previous_rank = 100;
  for (const json::object& row : rows) {
    ++seen[std::string(row.at("$dtId").as_string())];
    EXPECT_LE(row.at("rank").as_int64(), previous_rank) << "order broken across pages";
    previous_rank = row.at("rank").as_int64();
  }
  for (int i = 0; i < 60; ++i) EXPECT_EQ(seen[Id(i)], 1) << Id(i);
}

TEST_F(QueryEngineTest, JoinPagesSurviveRelationshipChanges) {
  AddTwin("hub", 0);
  for (int i = 0; i < 40; ++i) {
    AddTwin(Id(i), i);
    AddRelationship("hub", "r" + Id(i), Id(i));
  }
  int added = 0;
  auto churn = [&] {
    AddTwin("new" + std::to_string(added), 0);
    AddRelationship("hub", "r" + Id(100 + added), "new" + std::to_string(added));
    ++added;
  };
  const std::vector<json::object> rows = RunAllPages(
      "SELECT C.$dtId FROM DIGITALTWINS H JOIN C RELATED H.contains WHERE H.$dtId = 'hub'", 6,
      churn);
  std::map<std::string, int> seen;
  for (const json::object& row : rows) ++seen[std::string(row.at("$dtId").as_string())];
  for (int i = 0; i < 40; ++i) EXPECT_EQ(seen[Id(i)], 1) << Id(i);
  EXPECT_GT(added, 5);
}

TEST_F(QueryEngineTest, TopCountsRowsAcrossPages) {
  for (int i = 0; i < 20; ++i) AddTwin(Id(i), i);
  Result<QueryPage> first = Run("SELECT TOP(5) T.$dtId FROM DIGITALTWINS T", "", 2);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->rows.size(), 2u);
  Result<QueryPage> second = Run("", first->continuation, 2);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->rows.size(), 2u);
  Result<QueryPage> third = Run("", second->continuation, 2);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->rows.size(), 1u);
  EXPECT_TRUE(third->continuation.empty());
}

TEST_F(QueryEngineTest, QueryTextIsIgnoredWhenAContinuationIsGiven) {
  for (int i = 0; i < 4; ++i) AddTwin(Id(i), i);
  Result<QueryPage> first = Run("SELECT T.$dtId FROM DIGITALTWINS T", "", 2);
  ASSERT_TRUE(first.ok());
  Result<QueryPage> next = Run("this is not a query", first->continuation, 2);
  ASSERT_TRUE(next.ok()) << next.status().message();
  EXPECT_EQ(next->rows, (std::vector<std::string>{R"({"$dtId":"t0002"})", R"({"$dtId":"t0003"})"}));
}

TEST_F(QueryEngineTest, PageSizeDefaultsAndIsCapped) {
  for (int i = 0; i < 12; ++i) AddTwin(Id(i), i);
  options_.default_page_size = 5;
  options_.max_page_size = 8;
  Result<QueryPage> by_default = Run("SELECT * FROM DIGITALTWINS");
  ASSERT_TRUE(by_default.ok());
  EXPECT_EQ(by_default->rows.size(), 5u);
  Result<QueryPage> capped = Run("SELECT * FROM DIGITALTWINS", "", 100);
  ASSERT_TRUE(capped.ok());
  EXPECT_EQ(capped->rows.size(), 8u);
  EXPECT_FALSE(capped->continuation.empty());
}

TEST_F(QueryEngineTest, ALastPageThatEndsExactlyHasNoToken) {
  for (int i = 0; i < 4; ++i) AddTwin(Id(i), i);
  Result<QueryPage> page = Run("SELECT * FROM DIGITALTWINS", "", 4);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->rows.size(), 4u);
  EXPECT_TRUE(page->continuation.empty());
}

TEST_F(QueryEngineTest, ForeignOrTamperedTokensAreBadRequests) {
  for (int i = 0; i < 4; ++i) AddTwin(Id(i), i);
  for (std::string_view token : {"not a token!", "eyJ0IjoieCJ9"}) {
    Result<QueryPage> page = Run("", token);
    ASSERT_FALSE(page.ok()) << token;
    EXPECT_EQ(page.status().code(), ErrorCode::kBadRequest);
  }
  // A well-formed token whose row key does not fit the query's plan (two parts for one step):
  // {"t":"query/1","q":"SELECT * FROM DIGITALTWINS","n":1,"k":[["a",""],["b",""]],"s":[]}
  const std::string tampered =
      "eyJ0IjoicXVlcnkvMSIsInEiOiJTRUxFQ1QgKiBGUk9NIERJR0lUQUxUV0lOUyIsIm4iOjEsImsiOltbImEiLCIi"
      "XSxbImIiLCIiXV0sInMiOltdfQ";
  Result<QueryPage> mismatch = Run("", tampered);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.status().code(), ErrorCode::kBadRequest);
  EXPECT_THAT(mismatch.status().message(), ::testing::HasSubstr("does not fit this query"));
}

TEST_F(QueryEngineTest, AQueryPastItsDeadlineIsATimeoutError) {
  for (int i = 0; i < 5000; ++i) AddTwin(Id(i), i);
  options_.timeout = std::chrono::milliseconds(0);
  Result<QueryPage> page = Run("SELECT COUNT() FROM DIGITALTWINS T WHERE T.rank > 0");
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.status().code(), ErrorCode::kTimeoutError);
}

TEST_F(QueryEngineTest, UnanchoredTraversalsNeedTheOptIn) {
  AddTwin("a", 1);
  AddTwin("b", 2);
  AddRelationship("a", "r1", "b");
  constexpr std::string_view kJoin = "SELECT C.$dtId FROM DIGITALTWINS T JOIN C RELATED T.contains";
  Result<QueryPage> refused = Run(kJoin);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kSqlQueryError);
  EXPECT_THAT(refused.status().message(), ::testing::HasSubstr("$dtId"));
  options_.allow_unanchored_traversals = true;
  Result<QueryPage> allowed = Run(kJoin);
  ASSERT_TRUE(allowed.ok()) << allowed.status().message();
  EXPECT_EQ(allowed->rows, std::vector<std::string>{R"({"$dtId":"b"})"});
}

TEST_F(QueryEngineTest, ChargeIsDeterministicAndGrowsWithWork) {
  for (int i = 0; i < 3000; ++i) AddTwin(Id(i), i);
  Result<QueryPage> point = Run("SELECT * FROM DIGITALTWINS T WHERE T.$dtId = 't0001'");
  Result<QueryPage> again = Run("SELECT * FROM DIGITALTWINS T WHERE T.$dtId = 't0001'");
  Result<QueryPage> scan = Run("SELECT COUNT() FROM DIGITALTWINS T WHERE T.rank > 10");
  ASSERT_TRUE(point.ok() && again.ok() && scan.ok());
  EXPECT_EQ(point->charge, again->charge);
  EXPECT_GE(point->charge, 1.0);
  EXPECT_GT(scan->charge, point->charge + 2.0);  // 3,000 twins examined
}

}  // namespace
}  // namespace dtwin::query
