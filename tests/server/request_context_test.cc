// Typed request accessors: paging headers, preconditions, booleans, repeated parameters and
// JSON bodies, good and bad.
#include "server/request_context.h"

#include <gtest/gtest.h>

#include "test_requests.h"

namespace dtwin::server {
namespace {

TEST(RequestContextTest, PageFromTokenAndHeader) {
  Result<service::PageRequest> page =
      MakeContext("/models?api-version=2023-10-31&continuationToken=abc%3D",
                  {{"max-items-per-page", "25"}})
          .Page();
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->continuation, "abc=");
  EXPECT_EQ(page->max_items, 25u);
}

TEST(RequestContextTest, PageDefaultsAndLegacyHeader) {
  Result<service::PageRequest> page = MakeContext("/models").Page();
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->continuation, "");
  EXPECT_EQ(page->max_items, 0u);
  page = MakeContext("/models", {{"x-ms-max-item-count", "7"}}).Page();
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->max_items, 7u);
}

TEST(RequestContextTest, PageSizeMustBeAPositiveInteger) {
  for (std::string bad : {"abc", "", "0", "-1", "5x", "1.5", "99999999999999999999999"}) {
    Result<service::PageRequest> page =
        MakeContext("/models", {{"max-items-per-page", bad}}).Page();
    ASSERT_FALSE(page.ok()) << bad;
    EXPECT_EQ(page.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(page.status().message().find("max-items-per-page"), std::string::npos);
  }
  Result<service::PageRequest> page = MakeContext("/models", {{"x-ms-max-item-count", "x"}}).Page();
  ASSERT_FALSE(page.ok());
  EXPECT_NE(page.status().message().find("x-ms-max-item-count"), std::string::npos);
}

TEST(RequestContextTest, IfMatchAndIfNoneMatchStar) {
  Result<service::Preconditions> pre =
      MakeContext("/digitaltwins/t", {{"If-Match", "W/\"abc\""}, {"If-None-Match", "*"}})
          .Preconditions(/*with_if_none_match=*/true);
  ASSERT_TRUE(pre.ok());
  EXPECT_EQ(pre->if_match, "W/\"abc\"");
  EXPECT_TRUE(pre->if_none_match_any);

  pre = MakeContext("/digitaltwins/t", {{"if-match", "*"}}).Preconditions(false);
  ASSERT_TRUE(pre.ok());
  EXPECT_EQ(pre->if_match, "*");
  EXPECT_FALSE(pre->if_none_match_any);

  pre = MakeContext("/digitaltwins/t", {{"If-Match", ""}}).Preconditions(false);
  ASSERT_TRUE(pre.ok());
  EXPECT_EQ(pre->if_match, std::nullopt);
}

TEST(RequestContextTest, IfNoneMatchOtherThanStarIsRejectedWhereTheOperationHasIt) {
  RequestContext context = MakeContext("/digitaltwins/t", {{"If-None-Match", "W/\"abc\""}});
  Result<service::Preconditions> pre = context.Preconditions(/*with_if_none_match=*/true);
  ASSERT_FALSE(pre.ok());
  EXPECT_EQ(pre.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(pre.status().message().find("Allowed value(s): If-None-Match: *"), std::string::npos);
  // Operations without If-None-Match ignore it.
  pre = context.Preconditions(/*with_if_none_match=*/false);
  ASSERT_TRUE(pre.ok());
  EXPECT_FALSE(pre->if_none_match_any);
}

TEST(RequestContextTest, BoolQueryAcceptsAnyCaseAndRejectsOthers) {
  RequestContext context = MakeContext("/models/x?includeModelDefinition=False&b=TRUE&c=yes");
  EXPECT_EQ(*context.BoolQuery("includeModelDefinition", true), false);
  EXPECT_EQ(*context.BoolQuery("b", false), true);
  EXPECT_EQ(*context.BoolQuery("absent", true), true);
  Result<bool> bad = context.BoolQuery("c", false);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("'yes'"), std::string::npos);
}

TEST(RequestContextTest, QueryValuesDropDuplicatesAndMatchNamesInAnyCase) {
  RequestContext context =
      MakeContext("/models?dependenciesFor=a&DependenciesFor=b&dependenciesFor=a&x=1");
  EXPECT_EQ(context.QueryValues("dependenciesFor"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(context.QueryValue("X"), "1");
  EXPECT_EQ(context.QueryValue("y"), std::nullopt);
}

TEST(RequestContextTest, JsonBody) {
  Result<boost::json::value> body = MakeContext("/x", {}, R"({"a":[1,2]})").JsonBody();
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body->as_object().at("a").as_array().size(), 2u);

  body = MakeContext("/x", {}, "{\n  \"a\": ,\n}").JsonBody();
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(body.status().message().find("line 2"), std::string::npos) << body.status().message();

  body = MakeContext("/x", {}, "  ").JsonBody();
  ASSERT_FALSE(body.ok());
  EXPECT_NE(body.status().message().find("empty"), std::string::npos);
}

}  // namespace
}  // namespace dtwin::server
