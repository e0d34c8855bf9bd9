#include "common/status.h"

#include <gtest/gtest.h>

namespace dtwin {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.ToString(), "OK");
}

TEST(StatusTest, CarriesAdtCodeNameAndHttpStatus) {
  Status status(ErrorCode::kValidationFailed, "property 'temp' must be a number");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(ErrorCodeName(status.code()), "ValidationFailed");
  EXPECT_EQ(HttpStatusOf(status.code()), 400);
  EXPECT_EQ(status.ToString(), "ValidationFailed: property 'temp' must be a number");
}

TEST(StatusTest, MapsEveryFamilyToItsHttpStatus) {
  EXPECT_EQ(HttpStatusOf(ErrorCode::kDigitalTwinNotFound), 404);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kModelAlreadyExists), 409);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kPreconditionFailed), 412);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kQuotaReachedError), 429);
  EXPECT_EQ(ErrorCodeName(ErrorCode::kDtdlParserError), "DTDLParserError");
}

TEST(StatusTest, DetailsAccumulate) {
  Status status(ErrorCode::kDtdlParserError, "2 errors");
  status.AddDetail(Status(ErrorCode::kDtdlParserError, "a")).AddDetail(
      Status(ErrorCode::kDtdlParserError, "b"));
  ASSERT_EQ(status.details().size(), 2u);
  EXPECT_EQ(status.details()[1].message(), "b");
}

TEST(ResultTest, HoldsValueOrStatus) {
  Result<int> good = 7;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);
  Result<int> bad = Status(ErrorCode::kInvalidArgument, "no");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace dtwin
