// api-version: required, one of the four supported versions, repeatable when equal.
#include "server/api_version.h"

#include <gtest/gtest.h>

namespace dtwin::server {
namespace {

std::optional<ApiVersion> Resolve(std::string_view query, ApiError* error) {
  Result<std::vector<QueryParam>> params = ParseQuery(query);
  EXPECT_TRUE(params.ok());
  return ResolveApiVersion(*params, error);
}

TEST(ApiVersionTest, ResolvesEverySupportedVersion) {
  ApiError error;
  EXPECT_EQ(Resolve("api-version=2020-10-31", &error), ApiVersion::k2020_10_31);
  EXPECT_EQ(Resolve("api-version=2022-05-31", &error), ApiVersion::k2022_05_31);
  EXPECT_EQ(Resolve("x=1&api-version=2023-06-30", &error), ApiVersion::k2023_06_30);
  EXPECT_EQ(Resolve("API-VERSION=2023-10-31", &error), ApiVersion::k2023_10_31);
  EXPECT_EQ(ApiVersionName(ApiVersion::k2022_05_31), "2022-05-31");
}

TEST(ApiVersionTest, MissingIsMissingApiVersionParameter) {
  ApiError error;
  EXPECT_EQ(Resolve("includeModelDefinition=true", &error), std::nullopt);
  EXPECT_EQ(error.http_status, 400);
  EXPECT_EQ(error.code, "MissingApiVersionParameter");
  EXPECT_NE(error.message.find("2023-10-31"), std::string::npos) << error.message;
}

TEST(ApiVersionTest, UnknownIsUnsupportedApiVersionValue) {
  for (std::string_view query :
       {"api-version=2021-06-30-preview", "api-version=", "api-version=latest"}) {
    ApiError error;
    EXPECT_EQ(Resolve(query, &error), std::nullopt) << query;
    EXPECT_EQ(error.http_status, 400);
    EXPECT_EQ(error.code, "UnsupportedApiVersionValue");
    EXPECT_NE(error.message.find("supported api-versions are"), std::string::npos);
  }
}

TEST(ApiVersionTest, RepeatedEqualValuesAreFineDifferentOnesAreNot) {
  ApiError error;
  EXPECT_EQ(Resolve("api-version=2022-05-31&continuationToken=t&api-version=2022-05-31", &error),
            ApiVersion::k2022_05_31);
  EXPECT_EQ(Resolve("api-version=2022-05-31&api-version=2023-10-31", &error), std::nullopt);
  EXPECT_EQ(error.code, "InvalidArgument");
  EXPECT_NE(error.message.find("2023-10-31"), std::string::npos);
}

}  // namespace
}  // namespace dtwin::server
