// Tests for the compact JSON writer: escaping, number formats, round trips through ReadJson.
#include "common/json_writer.h"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <cstdint>
#include <limits>
#include <string>

#include "common/json_reader.h"

namespace dtwin {
namespace {

std::string WriteString(std::string_view text) {
  return WriteJson(boost::json::value(boost::json::string(text)));
}

TEST(JsonWriterTest, WritesScalars) {
  EXPECT_EQ(WriteJson(nullptr), "null");
  EXPECT_EQ(WriteJson(true), "true");
  EXPECT_EQ(WriteJson(false), "false");
  EXPECT_EQ(WriteJson(int64_t{-42}), "-42");
  EXPECT_EQ(WriteJson(std::numeric_limits<int64_t>::min()), "-9223372036854775808");
  EXPECT_EQ(WriteJson(std::numeric_limits<uint64_t>::max()), "18446744073709551615");
  EXPECT_EQ(WriteString("hi"), "\"hi\"");
  EXPECT_EQ(WriteString(""), "\"\"");
}

TEST(JsonWriterTest, WritesCompactContainersInOrder) {
  boost::json::object inner;
  inner["y"] = 2;
  boost::json::object object;
  object["b"] = boost::json::array{1, "two", nullptr};
  object["a"] = std::move(inner);
  object["e"] = boost::json::object();
  object["f"] = boost::json::array();
  EXPECT_EQ(WriteJson(object), R"({"b":[1,"two",null],"a":{"y":2},"e":{},"f":[]})");
}

TEST(JsonWriterTest, DoublesUseShortestRoundTripForm) {
  EXPECT_EQ(WriteJson(21.375), "21.375");  // Boost.JSON 1.81 would write 2.1375E1
  EXPECT_EQ(WriteJson(0.1), "0.1");
  EXPECT_EQ(WriteJson(-2.5), "-2.5");
  EXPECT_EQ(WriteJson(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(WriteJson(1e21), "1e+21");
  EXPECT_EQ(WriteJson(1.5e-7), "1.5e-07");
  EXPECT_EQ(WriteJson(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
  EXPECT_EQ(WriteJson(5e-324), "5e-324");
}

TEST(JsonWriterTest, IntegralDoublesHaveNoFraction) {
  // Documented choice: to_chars' shortest form, like .NET's round-trip format.
  EXPECT_EQ(WriteJson(1.0), "1");
  EXPECT_EQ(WriteJson(100.0), "100");
  EXPECT_EQ(WriteJson(0.0), "0");
  EXPECT_EQ(WriteJson(-0.0), "-0");
}

TEST(JsonWriterTest, NonFiniteDoublesBecomeNull) {
  EXPECT_EQ(WriteJson(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(WriteJson(-std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(WriteJson(std::numeric_limits<double>::quiet_NaN()), "null");
}

TEST(JsonWriterTest, EscapesWhatJsonRequires) {
  EXPECT_EQ(WriteString("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(WriteString("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(WriteString(std::string_view("\0", 1)), R"("\u0000")");
  EXPECT_EQ(WriteString("\x01\x1F"), R"("\u0001\u001F")");
  EXPECT_EQ(WriteString("x\x0By"), R"("x\u000By")");
}

TEST(JsonWriterTest, PassesThroughWhatNeedsNoEscape) {
  EXPECT_EQ(WriteString("a/b"), "\"a/b\"");
  EXPECT_EQ(WriteString("\x7F"), "\"\x7F\"");
  EXPECT_EQ(WriteString("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
  EXPECT_EQ(WriteString("<script>&'"), "\"<script>&'\"");
}

TEST(JsonWriterTest, EscapesAtEveryPositionOfLongStrings) {
  // The writer skips plain bytes in 8-byte words; a byte to escape must be found wherever
  // it sits in the word, and the bytes around it kept.
  for (size_t position = 0; position < 24; ++position) {
    for (char special : {'"', '\\', '\n', '\x01', '\x1F'}) {
      // Non-ASCII bytes next to it never need escaping.
      const std::string text =
          std::string(position, 'a') + special + "\xC3\xA9" + std::string(23 - position, 'a');
      const std::string written = WriteString(text);
      Result<boost::json::value> back = ReadJson(written);
      ASSERT_TRUE(back.ok()) << written;
      EXPECT_EQ(back->as_string(), text) << written;
      EXPECT_EQ(written.size(), text.size() + 2 + (special == '\x01' || special == '\x1F' ? 5 : 1))
          << written;
    }
  }
}

TEST(JsonWriterTest, EscapesMemberNames) {
  boost::json::object object;
  object["a\"\n"] = 1;
  EXPECT_EQ(WriteJson(object), R"({"a\"\n":1})");
}

TEST(JsonWriterTest, AppendJsonAppends) {
  std::string out = "prefix:";
  AppendJson(boost::json::array{1, 2}, out);
  AppendJson(true, out);
  EXPECT_EQ(out, "prefix:[1,2]true");
}

TEST(JsonWriterTest, RoundTripsThroughReader) {
  const std::string text =
      R"({"s":"tab\there \"q\" \\ \u0001 é","n":[0,-1,18446744073709551615,21.375,-0.5,)"
      R"(1e+300,0.1,true,false,null],"o":{"":{},"x/y~":[[]]}})";
  Result<boost::json::value> first = ReadJson(text);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const std::string written = WriteJson(*first);
  Result<boost::json::value> second = ReadJson(written);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(WriteJson(*second), written);
  EXPECT_EQ(written, text);  // the input was already in canonical form
}

TEST(JsonWriterTest, DoublesRoundTripExactly) {
  const double samples[] = {0.1,
                            1.0 / 3.0,
                            2.0 / 3.0,
                            1e-300,
                            123456.789e10,
                            std::numeric_limits<double>::min(),
                            9007199254740993.0,
                            3.14159};
  for (double sample : samples) {
    Result<boost::json::value> back = ReadJson(WriteJson(sample));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->to_number<double>(), sample) << WriteJson(sample);
  }
}

}  // namespace
}  // namespace dtwin

namespace dtwin {
namespace {

TEST(JsonWriterTest, ObjectsAndArraysWriteAsTheyWouldAsValues) {
  boost::json::object object{{"a", 1}, {"b", boost::json::array{true, "x", 2.5}}};
  EXPECT_EQ(WriteJson(object), WriteJson(boost::json::value(object)));
  EXPECT_EQ(WriteJson(object), R"({"a":1,"b":[true,"x",2.5]})");
  const boost::json::array& array = object.at("b").as_array();
  std::string out = "prefix:";
  AppendJson(array, out);
  EXPECT_EQ(out, R"(prefix:[true,"x",2.5])");
}

}  // namespace
}  // namespace dtwin
