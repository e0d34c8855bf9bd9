// Tests for JSON Pointer parsing, escaping, joining and lookup.
#include "common/json_pointer.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace dtwin {
namespace {

using Tokens = std::vector<std::string>;

TEST(JsonPointerTest, ParsesIntoUnescapedTokens) {
  Result<Tokens> tokens = ParseJsonPointer("/a~1b/0");
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ(*tokens, (Tokens{"a/b", "0"}));
  EXPECT_EQ(*ParseJsonPointer("/m~0n"), (Tokens{"m~n"}));
  // "~01" is "~" then "1", not "/": unescaping is one pass, left to right.
  EXPECT_EQ(*ParseJsonPointer("/~01"), (Tokens{"~1"}));
  EXPECT_EQ(*ParseJsonPointer("/~10"), (Tokens{"/0"}));
}

TEST(JsonPointerTest, EmptyPointerIsTheRoot) {
  Result<Tokens> tokens = ParseJsonPointer("");
  ASSERT_TRUE(tokens.ok());
  EXPECT_TRUE(tokens->empty());
}

TEST(JsonPointerTest, EmptyTokensAreKept) {
  EXPECT_EQ(*ParseJsonPointer("/"), (Tokens{""}));
  EXPECT_EQ(*ParseJsonPointer("//a/"), (Tokens{"", "a", ""}));
}

TEST(JsonPointerTest, RejectsPointerWithoutLeadingSlash) {
  Result<Tokens> tokens = ParseJsonPointer("a/b");
  ASSERT_FALSE(tokens.ok());
  EXPECT_EQ(tokens.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(tokens.status().message(),
            "invalid JSON pointer \"a/b\": it must be empty or start with '/'");
  EXPECT_FALSE(ParseJsonPointer("#/a").ok());
}

TEST(JsonPointerTest, RejectsBadTildeEscapes) {
  for (const char* pointer : {"/a~", "/a~2", "/~x/b", "/ok/~"}) {
    Result<Tokens> tokens = ParseJsonPointer(pointer);
    ASSERT_FALSE(tokens.ok()) << pointer;
    EXPECT_EQ(tokens.status().message(), "invalid JSON pointer \"" + std::string(pointer) +
                                             "\": '~' must be followed by 0 or 1");
  }
}

TEST(JsonPointerTest, EscapesTokens) {
  EXPECT_EQ(EscapeJsonPointerToken("a/b"), "a~1b");
  EXPECT_EQ(EscapeJsonPointerToken("x~y"), "x~0y");
  EXPECT_EQ(EscapeJsonPointerToken("~/"), "~0~1");
  EXPECT_EQ(EscapeJsonPointerToken("plain"), "plain");
  EXPECT_EQ(EscapeJsonPointerToken(""), "");
}

TEST(JsonPointerTest, JoinsTokens) {
  EXPECT_EQ(JoinJsonPointer({}), "");
  EXPECT_EQ(JoinJsonPointer({"a", "b"}), "/a/b");
  EXPECT_EQ(JoinJsonPointer({"a/b", "m~n", ""}), "/a~1b/m~0n/");
}

TEST(JsonPointerTest, JoinAndParseAreInverse) {
  const Tokens tokens = {"$metadata", "a/b~c", "", "~1", "0"};
  Result<Tokens> parsed = ParseJsonPointer(JoinJsonPointer(tokens));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, tokens);
}

class FindJsonPointerTest : public ::testing::Test {
 protected:
  boost::json::value document_ = boost::json::parse(
      R"({"a": {"b": [10, 20, {"c": "deep"}]}, "x/y": 1, "m~n": 2, "": 3, "01": 4})");
};

TEST_F(FindJsonPointerTest, FindsValues) {
  EXPECT_EQ(FindJsonPointer(document_, ""), &document_);
  const boost::json::value* deep = FindJsonPointer(document_, "/a/b/2/c");
  ASSERT_NE(deep, nullptr);
  EXPECT_EQ(deep->as_string(), "deep");
  EXPECT_EQ(FindJsonPointer(document_, "/a/b/0")->as_int64(), 10);
  EXPECT_EQ(FindJsonPointer(document_, "/x~1y")->as_int64(), 1);
  EXPECT_EQ(FindJsonPointer(document_, "/m~0n")->as_int64(), 2);
  EXPECT_EQ(FindJsonPointer(document_, "/")->as_int64(), 3);    // the member named ""
  EXPECT_EQ(FindJsonPointer(document_, "/01")->as_int64(), 4);  // member names are not indices
}

TEST_F(FindJsonPointerTest, MissingStepsGiveNull) {
  EXPECT_EQ(FindJsonPointer(document_, "/nope"), nullptr);
  EXPECT_EQ(FindJsonPointer(document_, "/a/nope/c"), nullptr);
  EXPECT_EQ(FindJsonPointer(document_, "/a/b/3"), nullptr);   // past the end
  EXPECT_EQ(FindJsonPointer(document_, "/a/b/-"), nullptr);   // "-" never resolves
  EXPECT_EQ(FindJsonPointer(document_, "/a/b/01"), nullptr);  // leading zero
  EXPECT_EQ(FindJsonPointer(document_, "/a/b/+1"), nullptr);
  EXPECT_EQ(FindJsonPointer(document_, "/a/b/1x"), nullptr);
  EXPECT_EQ(FindJsonPointer(document_, "/a/b/"), nullptr);  // empty index
  EXPECT_EQ(FindJsonPointer(document_, "/a/b/99999999999999999999999"), nullptr);
  EXPECT_EQ(FindJsonPointer(document_, "/x~1y/z"), nullptr);  // into a number
  EXPECT_EQ(FindJsonPointer(document_, "/x/y"), nullptr);     // unescaped '/' splits
  EXPECT_EQ(FindJsonPointer(document_, "a"), nullptr);        // not a pointer
  EXPECT_EQ(FindJsonPointer(document_, "/m~2n"), nullptr);    // bad escape
}

TEST_F(FindJsonPointerTest, MutableLookupAllowsChanges) {
  boost::json::value* target = FindJsonPointer(document_, "/a/b/1");
  ASSERT_NE(target, nullptr);
  *target = "changed";
  EXPECT_EQ(document_.at("a").at("b").at(1).as_string(), "changed");
  const boost::json::value& const_document = document_;
  EXPECT_EQ(FindJsonPointer(const_document, "/a/b/1")->as_string(), "changed");
}

}  // namespace
}  // namespace dtwin
