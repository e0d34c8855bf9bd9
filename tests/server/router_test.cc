// Route matching: case-insensitive fixed segments, per-segment percent-decoding, bad
// encodings, method mismatches; and the URL helpers underneath.
#include "server/router.h"

#include <gtest/gtest.h>

#include "server/request_context.h"
#include "server/url_encoding.h"

namespace dtwin::server {
namespace {

// A router whose handlers record which route ran.
class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Add(HttpMethod::kGet, "/models");
    Add(HttpMethod::kPost, "/models");
    Add(HttpMethod::kGet, "/models/{id}");
    Add(HttpMethod::kGet, "/digitaltwins/{id}");
    Add(HttpMethod::kPut, "/digitaltwins/{id}");
    Add(HttpMethod::kGet, "/digitaltwins/{id}/relationships/{relationshipId}");
    Add(HttpMethod::kPost, "/digitaltwins/{id}/components/{component}/telemetry");
  }

  void Add(HttpMethod method, std::string pattern) {
    router_.Add(method, pattern,
                [this, pattern](const RequestContext&, Responder) { last_route_ = pattern; });
  }

  std::string Run(const RouteMatch& match) {
    last_route_.clear();
    EXPECT_EQ(match.kind, RouteMatch::Kind::kFound);
    if (match.handler == nullptr) return "";
    HttpRequest request;
    RequestContext context(request, {}, {}, ApiVersion::k2023_10_31, nullptr);
    (*match.handler)(context, nullptr);
    return last_route_;
  }

  Router router_;
  std::string last_route_;
};

TEST_F(RouterTest, FixedSegmentsMatchInAnyCase) {
  EXPECT_EQ(Run(router_.Match(HttpMethod::kGet, "/Models")), "/models");
  EXPECT_EQ(Run(router_.Match(HttpMethod::kGet, "/MODELS")), "/models");
  EXPECT_EQ(Run(router_.Match(HttpMethod::kGet, "/DigitalTwins/room1/Relationships/r1")),
            "/digitaltwins/{id}/relationships/{relationshipId}");
}

TEST_F(RouterTest, SelectsTheRouteOfTheMethod) {
  EXPECT_EQ(Run(router_.Match(HttpMethod::kPost, "/models")), "/models");
  EXPECT_EQ(Run(router_.Match(HttpMethod::kPut, "/digitaltwins/x")), "/digitaltwins/{id}");
}

TEST_F(RouterTest, CapturesAreDecodedPerSegmentAndKeepTheirCase) {
  RouteMatch match = router_.Match(HttpMethod::kGet, "/models/dtmi%3Aexample%3ARoom%3B1");
  ASSERT_EQ(match.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(match.params, std::vector<std::string>{"dtmi:example:Room;1"});

  // An encoded '/' stays inside its segment; '+' is not a space in a path.
  match = router_.Match(HttpMethod::kGet, "/digitaltwins/a%2Fb+c/relationships/Rel%20One");
  ASSERT_EQ(match.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(match.params, (std::vector<std::string>{"a/b+c", "Rel One"}));
}

TEST_F(RouterTest, UnencodedModelIdsMatchToo) {
  // The Java SDK sends DTMIs unencoded.
  RouteMatch match = router_.Match(HttpMethod::kGet, "/models/dtmi:example:Floor;1");
  ASSERT_EQ(match.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(match.params[0], "dtmi:example:Floor;1");
}

TEST_F(RouterTest, OneTrailingSlashIsTolerated) {
  EXPECT_EQ(Run(router_.Match(HttpMethod::kGet, "/models/")), "/models");
}

TEST_F(RouterTest, UnknownPathsAreNotFound) {
  EXPECT_EQ(router_.Match(HttpMethod::kGet, "/").kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router_.Match(HttpMethod::kGet, "/twins").kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router_.Match(HttpMethod::kGet, "/models/a/b").kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router_.Match(HttpMethod::kGet, "models").kind, RouteMatch::Kind::kNotFound);
  // A capture never matches an empty segment.
  EXPECT_EQ(router_.Match(HttpMethod::kGet, "/digitaltwins//relationships/r").kind,
            RouteMatch::Kind::kNotFound);
}

TEST_F(RouterTest, WrongMethodListsTheAllowedOnes) {
  RouteMatch match = router_.Match(HttpMethod::kDelete, "/models");
  EXPECT_EQ(match.kind, RouteMatch::Kind::kMethodNotAllowed);
  EXPECT_EQ(match.allowed, (std::vector<HttpMethod>{HttpMethod::kGet, HttpMethod::kPost}));
  EXPECT_EQ(match.handler, nullptr);

  match = router_.Match(HttpMethod::kOther, "/digitaltwins/t1/components/c/telemetry");
  EXPECT_EQ(match.kind, RouteMatch::Kind::kMethodNotAllowed);
  EXPECT_EQ(match.allowed, std::vector<HttpMethod>{HttpMethod::kPost});
}

TEST_F(RouterTest, BadPercentEncodingIsReportedWithTheSegment) {
  for (std::string path : {"/digitaltwins/a%2", "/digitaltwins/a%zz", "/digitaltwins/%"}) {
    RouteMatch match = router_.Match(HttpMethod::kGet, path);
    EXPECT_EQ(match.kind, RouteMatch::Kind::kBadEncoding) << path;
    EXPECT_EQ("/digitaltwins/" + match.bad_segment, path);
  }
}

TEST(UrlEncodingTest, PercentDecode) {
  EXPECT_EQ(PercentDecode("a%20b%2fc", false), "a b/c");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("%E2%82%AC", false), "\xE2\x82\xAC");
  EXPECT_EQ(PercentDecode("100%", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%4", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%G1", false), std::nullopt);
}

TEST(UrlEncodingTest, PercentEncodeKeepsOnlyUnreserved) {
  EXPECT_EQ(PercentEncode("dtmi:a:B;1"), "dtmi%3Aa%3AB%3B1");
  EXPECT_EQ(PercentEncode("a b/c+d~e-f_g.h"), "a%20b%2Fc%2Bd~e-f_g.h");
  EXPECT_EQ(PercentEncode("{\"k\":1}"), "%7B%22k%22%3A1%7D");
}

TEST(UrlEncodingTest, SplitTargetSeparatesPathQueryAndFragment) {
  TargetParts parts = SplitTarget("/models?api-version=x&a=b#frag");
  EXPECT_EQ(parts.path, "/models");
  EXPECT_EQ(parts.query, "api-version=x&a=b");
  parts = SplitTarget("/models");
  EXPECT_EQ(parts.path, "/models");
  EXPECT_EQ(parts.query, "");
}

TEST(UrlEncodingTest, ParseQueryDecodesNamesAndValues) {
  Result<std::vector<QueryParam>> query =
      ParseQuery("dependenciesFor=dtmi%3Aa%3B1&&flag&x=a+b&dependenciesFor=c");
  ASSERT_TRUE(query.ok());
  ASSERT_EQ(query->size(), 4u);
  EXPECT_EQ((*query)[0].name, "dependenciesFor");
  EXPECT_EQ((*query)[0].value, "dtmi:a;1");
  EXPECT_EQ((*query)[1].name, "flag");
  EXPECT_EQ((*query)[1].value, "");
  EXPECT_EQ((*query)[2].value, "a b");
  EXPECT_EQ((*query)[3].value, "c");
}

TEST(UrlEncodingTest, ParseQueryRejectsBadEscapesNamingTheParameter) {
  Result<std::vector<QueryParam>> query = ParseQuery("api-version=2023-10-31&relationshipName=a%2");
  ASSERT_FALSE(query.ok());
  EXPECT_EQ(query.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(query.status().message().find("relationshipName"), std::string::npos);
}

TEST(UrlEncodingTest, EqualsIgnoreCase) {
  EXPECT_TRUE(EqualsIgnoreCase("X-Ms-Client-Request-Id", "x-ms-client-request-id"));
  EXPECT_FALSE(EqualsIgnoreCase("models", "model"));
  EXPECT_FALSE(EqualsIgnoreCase("models", "modelz"));
}

}  // namespace
}  // namespace dtwin::server
