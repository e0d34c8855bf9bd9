// Base64url without padding: round trips of every length and byte, and what is refused.
#include "common/base64url.h"

#include <gtest/gtest.h>

#include <string>

namespace dtwin {
namespace {

TEST(Base64UrlTest, RoundTripsEveryByteAtEveryLength) {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    bytes.push_back(static_cast<char>(i * 37 % 256));
    const std::string encoded = Base64UrlEncode(bytes);
    EXPECT_EQ(encoded.find_first_of("+/="), std::string::npos);
    std::string decoded;
    ASSERT_TRUE(Base64UrlDecode(encoded, decoded)) << i;
    EXPECT_EQ(decoded, bytes);
  }
}

TEST(Base64UrlTest, KnownVectors) {
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
}

TEST(Base64UrlTest, RefusesForeignCharactersAndImpossibleLengths) {
  std::string out;
  EXPECT_FALSE(Base64UrlDecode("Zm9v+", out));
  EXPECT_FALSE(Base64UrlDecode("Zm9v=", out));
  EXPECT_FALSE(Base64UrlDecode("Z", out));      // 1 character: not a whole byte
  EXPECT_FALSE(Base64UrlDecode("Zm9vY", out));  // 4n + 1
  EXPECT_TRUE(Base64UrlDecode("", out));
}

}  // namespace
}  // namespace dtwin
