// Paging: opaque tokens, malformed tokens, page sizes, and stability under writes between
// pages (an item that exists throughout is returned exactly once).
#include "service/paging.h"

#include <set>

#include "service_test_base.h"

namespace dtwin::service {
namespace {

TEST(ContinuationTokenTest, RoundTripsAndIsUrlSafe) {
  const PageKey key = {"twin/with spaces?&=", "ünïcode"};
  const std::string token = EncodeContinuation("incoming", key);
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos)
      << token;
  Result<PageKey> decoded = DecodeContinuation("incoming", token, 2);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, key);
}

TEST(ContinuationTokenTest, ForeignOrDamagedTokensAreBadRequests) {
  const std::string token = EncodeContinuation("models", {"dtmi:a;1"});
  EXPECT_CODE(DecodeContinuation("eventroutes", token, 1), ErrorCode::kBadRequest);
  EXPECT_CODE(DecodeContinuation("models", token, 2), ErrorCode::kBadRequest);
  EXPECT_CODE(DecodeContinuation("models", token.substr(0, token.size() - 3), 1),
              ErrorCode::kBadRequest);
  EXPECT_CODE(DecodeContinuation("models", "not a token!", 1), ErrorCode::kBadRequest);
  EXPECT_CODE(DecodeContinuation("models", EncodeContinuation("models", {}), 1),
              ErrorCode::kBadRequest);
}

TEST(PageSizeTest, DefaultAndBounds) {
  ServiceOptions options;
  options.default_page_size = 7;
  options.max_page_size = 20;
  EXPECT_EQ(PageSizeOf({"", 0}, options), 7u);
  EXPECT_EQ(PageSizeOf({"", 5}, options), 5u);
  EXPECT_EQ(PageSizeOf({"", 500}, options), 20u);
}

class PagingTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    UploadTestModels();
    ASSERT_TRUE(PutRoom("hub").ok());
    for (const char* id : {"t2", "t4", "t6", "t8"}) {
      ASSERT_TRUE(PutTwin(id, R"({"$metadata": {"$model": "dtmi:test:Space;1"}})").ok());
      ASSERT_TRUE(PutRelationship("hub", id,
                                  R"({"$targetId": ")" + std::string(id) +
                                      R"(", "$relationshipName": "adjacentTo"})")
                      .ok());
    }
  }
};

TEST_F(PagingTest, MalformedTokensAreRefusedByEveryListing) {
  const PageRequest bad{"garbage", 0};
  EXPECT_CODE(service_->ListModels({}, false, bad), ErrorCode::kBadRequest);
  EXPECT_CODE(service_->ListRelationships("hub", "", bad), ErrorCode::kBadRequest);
  EXPECT_CODE(service_->ListIncomingRelationships("t2", bad), ErrorCode::kBadRequest);
  EXPECT_CODE(service_->ListEventRoutes(bad), ErrorCode::kBadRequest);
  // A token of one listing is refused by another.
  const std::string models_token = service_->ListModels({}, false, {"", 1})->continuation;
  ASSERT_FALSE(models_token.empty());
  EXPECT_CODE(service_->ListRelationships("hub", "", {models_token, 1}), ErrorCode::kBadRequest);
}

TEST_F(PagingTest, WritesBetweenPagesNeitherSkipNorRepeat) {
  Result<Page<boost::json::object>> first = service_->ListRelationships("hub", "", {"", 2});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 2u);  // t2, t4
  // Between pages: delete a returned one and a pending one, add before and after the cursor.
  ASSERT_TRUE(DeleteRelationship("hub", "t2").ok());
  ASSERT_TRUE(DeleteRelationship("hub", "t6").ok());
  for (const char* id : {"t1", "t5", "t9"}) {
    ASSERT_TRUE(PutTwin(id, R"({"$metadata": {"$model": "dtmi:test:Space;1"}})").ok());
    ASSERT_TRUE(PutRelationship("hub", id,
                                R"({"$targetId": ")" + std::string(id) +
                                    R"(", "$relationshipName": "adjacentTo"})")
                    .ok());
  }
  std::multiset<std::string> seen;
  for (const auto& item : first->items) seen.emplace(item.at("$relationshipId").as_string());
  PageRequest request{first->continuation, 2};
  while (!request.continuation.empty()) {
    Result<Page<boost::json::object>> page = service_->ListRelationships("hub", "", request);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (const auto& item : page->items) seen.emplace(item.at("$relationshipId").as_string());
    request.continuation = page->continuation;
  }
  // t4 and t8 existed throughout: exactly once each; t1 (before the cursor) is not shown.
  EXPECT_EQ(seen.count("t4"), 1u);
  EXPECT_EQ(seen.count("t8"), 1u);
  EXPECT_EQ(seen.count("t1"), 0u);
  EXPECT_EQ(seen.count("t6"), 0u);
  EXPECT_EQ(seen.count("t5"), 1u);
  EXPECT_EQ(seen.count("t9"), 1u);
}

TEST_F(PagingTest, PageSizeIsBoundedByTheMaximum) {
  options_.max_page_size = 3;
  Restart();
  Result<Page<boost::json::object>> page = service_->ListRelationships("hub", "", {"", 100});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 3u);
  EXPECT_FALSE(page->continuation.empty());
}

}  // namespace
}  // namespace dtwin::service
