// nextLink and $relationshipLink: absolute, from Host and scheme (TLS or
// X-Forwarded-Proto), keeping the request's options, replacing token and api-version.
#include "server/paging_links.h"

#include <gtest/gtest.h>

#include "common/json_writer.h"
#include "test_requests.h"

namespace dtwin::server {
namespace {

TEST(PagingLinksTest, NextLinkKeepsPathAndOptionsAndAppendsTokenAndVersion) {
  RequestContext context = MakeContext(
      "/Models?includeModelDefinition=False&dependenciesFor=dtmi%3Aa%3B1&api-version=2023-06-30",
      {{"Host", "localhost:8080"}});
  EXPECT_EQ(NextLink(context, R"({"p":2})"),
            "http://localhost:8080/Models?includeModelDefinition=False&dependenciesFor=dtmi%3Aa%3B1"
            "&continuationToken=%7B%22p%22%3A2%7D&api-version=2023-06-30");
}

TEST(PagingLinksTest, NextLinkReplacesThePreviousTokenAndDuplicateVersions) {
  RequestContext context = MakeContext(
      "/digitaltwins/a%20b/relationships?api-version=2022-05-31&continuationToken=old"
      "&api-version=2022-05-31&relationshipName=has",
      {{"host", "example.test"}});
  EXPECT_EQ(NextLink(context, "new token"),
            "http://example.test/digitaltwins/a%20b/relationships?relationshipName=has"
            "&continuationToken=new%20token&api-version=2022-05-31");
}

TEST(PagingLinksTest, LastPageHasNoLink) {
  RequestContext context = MakeContext("/eventroutes?api-version=2023-10-31", {{"Host", "h"}});
  EXPECT_EQ(NextLink(context, ""), std::nullopt);
}

TEST(PagingLinksTest, HttpsOverTlsOrWhenForwardedAsHttps) {
  EXPECT_EQ(BaseUrl(MakeContext("/models", {{"Host", "h:1"}}, "", /*tls=*/true).request()),
            "https://h:1");
  EXPECT_EQ(
      BaseUrl(MakeContext("/models", {{"Host", "h:1"}, {"X-Forwarded-Proto", "https"}}).request()),
      "https://h:1");
  EXPECT_EQ(BaseUrl(MakeContext("/models", {{"Host", "h:1"}, {"x-forwarded-proto", "HTTPS, http"}})
                        .request()),
            "https://h:1");
  EXPECT_EQ(
      BaseUrl(MakeContext("/models", {{"Host", "h:1"}, {"X-Forwarded-Proto", "http"}}).request()),
      "http://h:1");
}

TEST(PagingLinksTest, MissingOrImplausibleHostFallsBackToTheLocalAddress) {
  EXPECT_EQ(BaseUrl(MakeContext("/models").request()), "http://127.0.0.1:8080");
  EXPECT_EQ(BaseUrl(MakeContext("/models", {{"Host", "evil.test/x?y"}}).request()),
            "http://127.0.0.1:8080");
  EXPECT_EQ(BaseUrl(MakeContext("/models", {{"Host", "[::1]:9000"}}).request()),
            "http://[::1]:9000");
}

TEST(PagingLinksTest, RelationshipLinkIsAbsoluteWithTheRequestVersion) {
  RequestContext context =
      MakeContext("/digitaltwins/floor/incomingrelationships?api-version=2023-06-30",
                  {{"Host", "adt.local:8443"}}, "", /*tls=*/true);
  EXPECT_EQ(
      RelationshipLink(context, "room 1", "r/1"),
      "https://adt.local:8443/digitaltwins/room%201/relationships/r%2F1?api-version=2023-06-30");
}

TEST(PagingLinksTest, PageBodyKeyOrderAndExplicitNull) {
  boost::json::array value{1, 2};
  EXPECT_EQ(WriteJson(PageBody(value, std::nullopt, PageKeyOrder::kValueFirst)),
            R"({"value":[1,2],"nextLink":null})");
  EXPECT_EQ(WriteJson(PageBody(value, "https://h/x", PageKeyOrder::kNextLinkFirst)),
            R"({"nextLink":"https://h/x","value":[1,2]})");
}

}  // namespace
}  // namespace dtwin::server
