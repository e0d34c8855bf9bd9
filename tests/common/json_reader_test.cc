// Tests for the strict JSON reader: values, strictness, UTF-8, numbers, positions, source map.
#include "common/json_reader.h"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

namespace dtwin {
namespace {

// The parsed value; fails the test when text is rejected.
boost::json::value ReadOk(std::string_view text) {
  Result<boost::json::value> result = ReadJson(text);
  EXPECT_TRUE(result.ok()) << "text: " << text << "\n" << result.status().ToString();
  return result.ok() ? *result : boost::json::value();
}

// The syntax error for text; fails the test when text is accepted.
JsonSyntaxError ReadError(std::string_view text, const JsonReadOptions& options = {}) {
  JsonSyntaxError error;
  Result<boost::json::value> result = ReadJson(text, options, nullptr, &error);
  EXPECT_FALSE(result.ok()) << "accepted: " << text;
  if (!result.ok()) {
    EXPECT_EQ(result.status().code(), ErrorCode::kInvalidArgument);
  }
  return error;
}

// ---- well-formed values

TEST(JsonReaderTest, ReadsScalars) {
  EXPECT_TRUE(ReadOk("null").is_null());
  EXPECT_EQ(ReadOk("true"), boost::json::value(true));
  EXPECT_EQ(ReadOk("false"), boost::json::value(false));
  EXPECT_EQ(ReadOk("\"hi\"").as_string(), "hi");
  EXPECT_EQ(ReadOk("\"\"").as_string(), "");
  EXPECT_EQ(ReadOk("0").as_int64(), 0);
  EXPECT_EQ(ReadOk("-12").as_int64(), -12);
  EXPECT_DOUBLE_EQ(ReadOk("21.375").as_double(), 21.375);
}

TEST(JsonReaderTest, ReadsNestedContainersInOrder) {
  boost::json::value value =
      ReadOk(" { \"b\" : [1, {\"c\": null}, []], \"a\": {}, \"d\": [[[\"x\"]]] } ");
  ASSERT_TRUE(value.is_object());
  const boost::json::object& object = value.get_object();
  ASSERT_EQ(object.size(), 3u);
  EXPECT_EQ(object.begin()->key(), "b");  // member order is kept
  const boost::json::array& b = object.at("b").as_array();
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0].as_int64(), 1);
  EXPECT_TRUE(b[1].as_object().at("c").is_null());
  EXPECT_TRUE(b[2].as_array().empty());
  EXPECT_TRUE(object.at("a").as_object().empty());
  EXPECT_EQ(object.at("d").as_array()[0].as_array()[0].as_array()[0].as_string(), "x");
}

TEST(JsonReaderTest, AllowsSurroundingWhitespace) {
  EXPECT_EQ(ReadOk(" \t\r\n[ 1 , 2 ]\n\t ").as_array().size(), 2u);
}

// ---- strictness

TEST(JsonReaderTest, RejectsDuplicateMemberNames) {
  JsonSyntaxError error = ReadError(R"({"a": 1, "a": 2})");
  EXPECT_EQ(error.message, "duplicate member name \"a\"");
  EXPECT_EQ(error.position.offset, 9u);  // the second key's opening quote
}

TEST(JsonReaderTest, RejectsNestedDuplicateMemberNames) {
  JsonSyntaxError error = ReadError(R"({"x": [{"k": 1, "j": 2, "k": 3}]})");
  EXPECT_EQ(error.message, "duplicate member name \"k\"");
  // The same name in different objects is fine.
  EXPECT_TRUE(ReadJson(R"({"k": {"k": 1}, "j": [{"k": 2}, {"k": 3}]})").ok());
}

TEST(JsonReaderTest, DuplicateDetectionComparesUnescapedNames) {
  JsonSyntaxError error = ReadError(R"({"ab": 1, "a\u0062": 2})");
  EXPECT_EQ(error.message, "duplicate member name \"ab\"");
}

TEST(JsonReaderTest, DuplicateNamesInMessagesAreEscapedAndBounded) {
  JsonSyntaxError control = ReadError("{\"a\\u0001\": 1, \"a\\u0001\": 2}");
  EXPECT_EQ(control.message, "duplicate member name \"a\\u0001\"");
  const std::string long_name(5000, 'n');
  JsonSyntaxError huge = ReadError("{\"" + long_name + "\": 1, \"" + long_name + "\": 2}");
  EXPECT_EQ(huge.message,
            "duplicate member name \"" + std::string(64, 'n') + "\" (cut; 5000 bytes)");
}

TEST(JsonReaderTest, DuplicateDetectionWorksInLargeObjects) {
  // Boost.JSON switches to a hash index for larger objects; duplicates must still be seen.
  std::string text = "{";
  for (int i = 0; i < 100; ++i) text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  text += "\"k57\":0}";
  EXPECT_EQ(ReadError(text).message, "duplicate member name \"k57\"");
}

TEST(JsonReaderTest, StatusMessageCarriesLineAndColumn) {
  Result<boost::json::value> result = ReadJson("{\n  \"a\": 1,\n  \"b\": 2,\n  \"a\": 3\n}");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.status().message(),
            "invalid JSON: duplicate member name \"a\" at line 4, column 3");
}

TEST(JsonReaderTest, ReportsPositionsOnMultilineInput) {
  JsonSyntaxError error = ReadError("{\n  \"a\": [1,\n    2,,\n  ]\n}");
  EXPECT_EQ(error.position.line, 3u);
  EXPECT_EQ(error.position.column, 7u);  // the second comma
  EXPECT_EQ(error.position.offset, 19u);
  EXPECT_EQ(error.message, "unexpected character ','; expected a value");
}

TEST(JsonReaderTest, RejectsTrailingCommas) {
  JsonSyntaxError array_error = ReadError("[1, 2,]");
  EXPECT_EQ(array_error.message, "trailing comma before ']'");
  EXPECT_EQ(array_error.position.column, 6u);
  EXPECT_EQ(ReadError(R"({"a": 1,})").message, "trailing comma before '}'");
}

TEST(JsonReaderTest, RejectsComments) {
  EXPECT_EQ(ReadError("[1, // one\n 2]").message, "comments are not allowed in JSON");
  EXPECT_EQ(ReadError("/* c */ 1").message, "comments are not allowed in JSON");
}

TEST(JsonReaderTest, RejectsTrailingGarbage) {
  JsonSyntaxError error = ReadError("{} x");
  EXPECT_EQ(error.message, "unexpected character 'x' after the document");
  EXPECT_EQ(error.position.column, 4u);
  EXPECT_FALSE(ReadJson("1 2").ok());
  EXPECT_FALSE(ReadJson("[1]]").ok());
  EXPECT_FALSE(ReadJson("truex").ok());
}

TEST(JsonReaderTest, RejectsMalformedStructure) {
  EXPECT_EQ(ReadError("").message, "unexpected end of input; expected a value");
  EXPECT_EQ(ReadError("   ").position.offset, 3u);
  EXPECT_EQ(ReadError("[1").message, "unexpected end of input; expected ',' or ']'");
  EXPECT_EQ(ReadError("{\"a\" 1}").message,
            "unexpected character '1'; expected ':' after the member name");
  EXPECT_EQ(ReadError("{a: 1}").message,
            "unexpected character 'a'; expected a member name in double quotes");
  EXPECT_EQ(ReadError("{\"a\": 1 \"b\": 2}").message,
            "unexpected character '\"'; expected ',' or '}'");
  EXPECT_EQ(ReadError("['a']").message, "strings must be in double quotes");
  EXPECT_EQ(ReadError("[tru]").message, "invalid literal; expected true");
  EXPECT_EQ(ReadError("nul").message, "invalid literal; expected null");
  EXPECT_FALSE(ReadJson("[,1]").ok());
  EXPECT_FALSE(ReadJson("{,}").ok());
  EXPECT_FALSE(ReadJson("{\"a\":}").ok());
  EXPECT_FALSE(ReadJson("True").ok());
}

TEST(JsonReaderTest, RejectsNonJsonNumbers) {
  EXPECT_EQ(ReadError("+1").message, "unexpected character '+'; expected a value");
  EXPECT_EQ(ReadError("01").message, "leading zeros are not allowed");
  EXPECT_EQ(ReadError("-01").message, "leading zeros are not allowed");
  EXPECT_EQ(ReadError("1.").message, "expected a digit after '.'");
  EXPECT_EQ(ReadError("[1.]").message, "expected a digit after '.'");
  EXPECT_EQ(ReadError(".5").message, "unexpected character '.'; expected a value");
  EXPECT_EQ(ReadError("-").message, "expected a digit");
  EXPECT_EQ(ReadError("1e").message, "expected a digit in the exponent");
  EXPECT_EQ(ReadError("1e+").message, "expected a digit in the exponent");
  EXPECT_EQ(ReadError("NaN").message, "NaN and Infinity are not valid JSON numbers");
  EXPECT_EQ(ReadError("Infinity").message, "NaN and Infinity are not valid JSON numbers");
  EXPECT_EQ(ReadError("-Infinity").message, "NaN and Infinity are not valid JSON numbers");
  EXPECT_FALSE(ReadJson("0x10").ok());
  EXPECT_FALSE(ReadJson("1.5.2").ok());
}

// ---- depth

TEST(JsonReaderTest, DeepNestingIsAnErrorNotACrash) {
  const std::string text = std::string(100000, '[') + std::string(100000, ']');
  JsonSyntaxError error = ReadError(text);
  EXPECT_EQ(error.message, "nesting deeper than 256 levels");
  EXPECT_EQ(error.position.offset, 256u);  // the 257th '['
}

TEST(JsonReaderTest, DeepObjectNestingIsAnError) {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "{\"a\":";
  EXPECT_EQ(ReadError(text).message, "nesting deeper than 256 levels");
}

TEST(JsonReaderTest, NestingUpToTheLimitIsAccepted) {
  const std::string at_limit = std::string(256, '[') + std::string(256, ']');
  EXPECT_TRUE(ReadJson(at_limit).ok());
  const std::string over = std::string(257, '[') + std::string(257, ']');
  EXPECT_FALSE(ReadJson(over).ok());
}

TEST(JsonReaderTest, MaxDepthIsConfigurable) {
  JsonReadOptions options;
  options.max_depth = 2;
  EXPECT_TRUE(ReadJson("[[1]]", options).ok());
  EXPECT_EQ(ReadError("[[[1]]]", options).message, "nesting deeper than 2 levels");
  EXPECT_EQ(ReadError(R"({"a": {"b": {}}})", options).position.column, 13u);
}

// ---- strings and UTF-8

TEST(JsonReaderTest, DecodesEscapes) {
  EXPECT_EQ(ReadOk(R"("\"\\\/\b\f\n\r\t")").as_string(), "\"\\/\b\f\n\r\t");
  EXPECT_EQ(ReadOk(R"("a\u0041\u00e9\u20AC")").as_string(), "aA\xC3\xA9\xE2\x82\xAC");
  // U+1F600 as a surrogate pair.
  EXPECT_EQ(ReadOk(R"("\ud83d\ude00")").as_string(), "\xF0\x9F\x98\x80");
  const boost::json::string nul = ReadOk(R"("a\u0000b")").as_string();
  EXPECT_EQ(std::string_view(nul.data(), nul.size()), std::string_view("a\0b", 3));
}

TEST(JsonReaderTest, DecodesEscapedMemberNamesAtSeveralLevels) {
  boost::json::value value =
      ReadOk(R"({"a\u0041": {"b\u0042": 1, "c\n": [{"\u00e9": 2}]}, "d\"": 3, "plain": 4})");
  const boost::json::object& object = value.as_object();
  ASSERT_EQ(object.size(), 3u);
  EXPECT_EQ(object.at("aA").at("bB").as_int64(), 1);
  EXPECT_EQ(object.at("aA").at("c\n").at(0).at("\xC3\xA9").as_int64(), 2);
  EXPECT_EQ(object.at("d\"").as_int64(), 3);
  EXPECT_EQ(object.at("plain").as_int64(), 4);
}

TEST(JsonReaderTest, FailedReadDoesNotAffectTheNext) {
  // Work buffers are reused per thread; a failure midway must leave nothing behind.
  EXPECT_FALSE(ReadJson(R"({"a\u0041": [1, {"x": [2, 3)").ok());
  EXPECT_EQ(ReadOk(R"({"b": [4]})"), ReadOk(R"({"b": [4]})"));
  boost::json::value value = ReadOk(R"([{"k\u006B": 5}])");
  EXPECT_EQ(value.as_array().size(), 1u);
  EXPECT_EQ(value.at(0).at("kk").as_int64(), 5);
}

TEST(JsonReaderTest, RejectsBadEscapes) {
  EXPECT_EQ(ReadError(R"("\x")").message, "invalid escape: backslash followed by character 'x'");
  EXPECT_EQ(ReadError(R"("\u12")").message, "\\u must be followed by 4 hex digits");
  EXPECT_EQ(ReadError(R"("\u12G4")").message, "\\u must be followed by 4 hex digits");
  JsonSyntaxError lone_high = ReadError(R"(["ok", "ab\ud83d"])");
  EXPECT_EQ(lone_high.message, "lone high surrogate in \\u escape");
  EXPECT_EQ(lone_high.position.column, 11u);  // the backslash of \ud83d
  EXPECT_EQ(ReadError(R"("\ud83dx")").message, "lone high surrogate in \\u escape");
  EXPECT_EQ(ReadError(R"("\ud83d\u0041")").message, "lone high surrogate in \\u escape");
  EXPECT_EQ(ReadError(R"("\ud83d\ud83d")").message, "lone high surrogate in \\u escape");
  EXPECT_EQ(ReadError(R"("\ude00")").message, "lone low surrogate in \\u escape");
  EXPECT_EQ(ReadError("\"abc\\").message, "unterminated string");
}

TEST(JsonReaderTest, RejectsRawControlCharacters) {
  JsonSyntaxError error = ReadError("[\"a\nb\"]");
  EXPECT_EQ(error.message, "control character U+000A in a string must be escaped");
  EXPECT_EQ(error.position.line, 1u);
  EXPECT_EQ(error.position.column, 4u);
  EXPECT_EQ(ReadError(std::string_view("\"\0\"", 3)).message,
            "control character U+0000 in a string must be escaped");
  EXPECT_FALSE(ReadJson("\"\t\"").ok());
  EXPECT_FALSE(ReadJson("\"\x1F\"").ok());
  EXPECT_TRUE(ReadJson("\"\x7F\"").ok());  // DEL is not a JSON control character
}

TEST(JsonReaderTest, FindsSpecialBytesAtEveryPositionOfLongStrings) {
  // The reader skips plain bytes in 8-byte words; an escape, control character or
  // non-ASCII byte must be seen wherever it sits in the word.
  for (size_t position = 0; position < 24; ++position) {
    std::string body(24, 'a');
    body.replace(position, 1, "\\n");
    EXPECT_EQ(ReadOk("\"" + body + "\"").as_string(),
              std::string(position, 'a') + "\n" + std::string(23 - position, 'a'));
    std::string control(24, 'a');
    control[position] = '\x01';
    EXPECT_EQ(ReadError("\"" + control + "\"").position.offset, position + 1);
    std::string invalid(24, 'a');
    invalid[position] = '\xFF';
    EXPECT_EQ(ReadError("\"" + invalid + "\"").position.offset, position + 1);
    std::string quote(24, 'a');
    quote[position] = '"';
    EXPECT_EQ(ReadError("\"" + quote + "\"").position.offset, position + 2);  // trailing garbage
  }
}

TEST(JsonReaderTest, RejectsUnterminatedString) {
  JsonSyntaxError error = ReadError("{\"name\": \"abc");
  EXPECT_EQ(error.message, "unterminated string");
  EXPECT_EQ(error.position.offset, 13u);
}

TEST(JsonReaderTest, AcceptsValidUtf8) {
  const char* valid[] = {
      "\"\xC2\xA9\"",          // U+00A9, smallest 2-byte lead
      "\"\xDF\xBF\"",          // U+07FF
      "\"\xE0\xA0\x80\"",      // U+0800, smallest 3-byte
      "\"\xED\x9F\xBF\"",      // U+D7FF, just below the surrogates
      "\"\xEE\x80\x80\"",      // U+E000, just above them
      "\"\xEF\xBF\xBF\"",      // U+FFFF
      "\"\xF0\x90\x80\x80\"",  // U+10000
      "\"\xF4\x8F\xBF\xBF\"",  // U+10FFFF, the largest code point
  };
  for (const char* text : valid) {
    Result<boost::json::value> result = ReadJson(text);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_EQ(result->as_string(), std::string_view(text + 1, std::strlen(text) - 2));
  }
  // Non-ASCII in member names too, and kept byte for byte.
  EXPECT_TRUE(ReadOk("{\"temp\xC3\xA9rature\": 1}").as_object().contains("temp\xC3\xA9rature"));
}

TEST(JsonReaderTest, RejectsInvalidUtf8) {
  const char* invalid[] = {
      "\"\x80\"",              // lone continuation byte
      "\"\xBF\"",              // lone continuation byte
      "\"\xC0\xAF\"",          // overlong '/'
      "\"\xC1\xBF\"",          // overlong
      "\"\xE0\x80\xAF\"",      // overlong 3-byte '/'
      "\"\xE0\x9F\xBF\"",      // overlong 3-byte
      "\"\xF0\x80\x80\xAF\"",  // overlong 4-byte '/'
      "\"\xF0\x8F\xBF\xBF\"",  // overlong 4-byte
      "\"\xED\xA0\x80\"",      // U+D800 high surrogate in UTF-8
      "\"\xED\xBF\xBF\"",      // U+DFFF low surrogate in UTF-8
      "\"\xF4\x90\x80\x80\"",  // U+110000, beyond Unicode
      "\"\xF5\x80\x80\x80\"",  // invalid lead byte
      "\"\xFF\"",              // never valid
      "\"\xC3\"",              // truncated before the quote
      "\"\xE2\x82\"",          // truncated 3-byte
      "\"\xC3\x28\"",          // continuation byte missing
  };
  for (const char* text : invalid) {
    JsonSyntaxError error = ReadError(text);
    EXPECT_EQ(error.message, "invalid UTF-8 in string") << "for " << text;
    EXPECT_EQ(error.position.offset, 1u);
  }
  EXPECT_EQ(ReadError("\"\xE2\x82").message, "invalid UTF-8 in string");      // truncated at end
  EXPECT_EQ(ReadError("{\"a\xFF\": 1}").message, "invalid UTF-8 in string");  // in a key
}

TEST(JsonReaderTest, RejectsNonAsciiOutsideStrings) {
  EXPECT_EQ(ReadError("[\xC3\xA9]").message, "unexpected byte 0xC3; expected a value");
}

TEST(JsonReaderTest, SkipsBomOnlyWhenAllowed) {
  const std::string text = "\xEF\xBB\xBF{\"a\": 1}";
  EXPECT_EQ(ReadOk(text).as_object().at("a").as_int64(), 1);
  JsonReadOptions strict;
  strict.allow_bom = false;
  EXPECT_EQ(ReadError(text, strict).message, "unexpected byte 0xEF; expected a value");
  // Only at the start.
  EXPECT_FALSE(ReadJson("[1, \xEF\xBB\xBF 2]").ok());
}

TEST(JsonReaderTest, BomCountsInOffsetsAndColumns) {
  JsonSyntaxError error = ReadError("\xEF\xBB\xBF[1,]");
  EXPECT_EQ(error.position.offset, 5u);
  EXPECT_EQ(error.position.column, 6u);  // columns count bytes, the BOM's too
}

// ---- numbers

TEST(JsonReaderTest, IntegersStayIntegers) {
  EXPECT_TRUE(ReadOk("42").is_int64());
  EXPECT_EQ(ReadOk("9223372036854775807").as_int64(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(ReadOk("-9223372036854775808").as_int64(), std::numeric_limits<int64_t>::min());
  boost::json::value beyond_int64 = ReadOk("9223372036854775808");
  ASSERT_TRUE(beyond_int64.is_uint64());
  EXPECT_EQ(beyond_int64.get_uint64(), 9223372036854775808ull);
  boost::json::value max_uint = ReadOk("18446744073709551615");
  ASSERT_TRUE(max_uint.is_uint64());
  EXPECT_EQ(max_uint.get_uint64(), std::numeric_limits<uint64_t>::max());
}

TEST(JsonReaderTest, IntegersBeyondUint64BecomeDoubles) {
  boost::json::value value = ReadOk("18446744073709551616");
  ASSERT_TRUE(value.is_double());
  EXPECT_DOUBLE_EQ(value.get_double(), 18446744073709551616.0);
  boost::json::value negative = ReadOk("-9223372036854775809");
  ASSERT_TRUE(negative.is_double());
  EXPECT_DOUBLE_EQ(negative.get_double(), -9223372036854775808.0);
  const std::string hundred_digits = "1" + std::string(99, '0');
  EXPECT_DOUBLE_EQ(ReadOk(hundred_digits).as_double(), 1e99);
}

TEST(JsonReaderTest, FractionsAndExponentsAreDoubles) {
  EXPECT_TRUE(ReadOk("1.0").is_double());
  EXPECT_TRUE(ReadOk("1e2").is_double());
  EXPECT_DOUBLE_EQ(ReadOk("1e2").get_double(), 100.0);
  EXPECT_DOUBLE_EQ(ReadOk("-2.5E-3").get_double(), -0.0025);
  EXPECT_DOUBLE_EQ(ReadOk("0.1").get_double(), 0.1);
  EXPECT_DOUBLE_EQ(ReadOk("1E+2").get_double(), 100.0);
  EXPECT_EQ(ReadOk("1.7976931348623157e308").get_double(), std::numeric_limits<double>::max());
}

TEST(JsonReaderTest, OverflowingNumberIsAnError) {
  JsonSyntaxError error = ReadError("[1, 1e400]");
  EXPECT_EQ(error.message, "number out of range");
  EXPECT_EQ(error.position.column, 5u);
  EXPECT_EQ(ReadError("-1e400").message, "number out of range");
  EXPECT_EQ(ReadError("1.8e308").message, "number out of range");
  EXPECT_EQ(ReadError("0.00001e314").message, "number out of range");
  EXPECT_EQ(ReadError("1" + std::string(400, '0')).message, "number out of range");
  EXPECT_EQ(ReadError("1e99999999999999999999").message, "number out of range");
}

TEST(JsonReaderTest, UnderflowingNumberIsZero) {
  boost::json::value tiny = ReadOk("1e-400");
  ASSERT_TRUE(tiny.is_double());
  EXPECT_EQ(tiny.get_double(), 0.0);
  boost::json::value negative_tiny = ReadOk("-1e-400");
  ASSERT_TRUE(negative_tiny.is_double());
  EXPECT_EQ(negative_tiny.get_double(), 0.0);
  EXPECT_TRUE(std::signbit(negative_tiny.get_double()));
  EXPECT_EQ(ReadOk("123456e-99999999999999999999").get_double(), 0.0);
  EXPECT_EQ(ReadOk("0e999999").get_double(), 0.0);  // zero times anything is in range
  EXPECT_EQ(ReadOk("0.000e-999").get_double(), 0.0);
  EXPECT_GT(ReadOk("5e-324").get_double(), 0.0);  // the smallest subnormal survives
}

TEST(JsonReaderTest, NegativeZero) {
  boost::json::value integer_zero = ReadOk("-0");
  ASSERT_TRUE(integer_zero.is_int64());
  EXPECT_EQ(integer_zero.get_int64(), 0);
  boost::json::value double_zero = ReadOk("-0.0");
  ASSERT_TRUE(double_zero.is_double());
  EXPECT_EQ(double_zero.get_double(), 0.0);
  EXPECT_TRUE(std::signbit(double_zero.get_double()));
}

// ---- positions

TEST(JsonReaderTest, LineIndexAgreesWithPositionOfOffsetEverywhere) {
  const std::string text = "{\n  \"a\": 1,\n\n  \"b\": [\n    true\n  ]\n}";
  LineIndex index(text);
  for (size_t offset = 0; offset <= text.size() + 2; ++offset) {
    TextPosition expected = PositionOfOffset(text, offset);
    TextPosition actual = index.PositionOf(offset);
    EXPECT_EQ(actual.line, expected.line) << "offset " << offset;
    EXPECT_EQ(actual.column, expected.column) << "offset " << offset;
  }
}

TEST(JsonReaderTest, PositionOfOffsetCountsLinesAndBytes) {
  const std::string_view text = "ab\ncd\n\xC3\xA9x";
  TextPosition start = PositionOfOffset(text, 0);
  EXPECT_EQ(start.line, 1u);
  EXPECT_EQ(start.column, 1u);
  TextPosition d = PositionOfOffset(text, 4);
  EXPECT_EQ(d.line, 2u);
  EXPECT_EQ(d.column, 2u);
  EXPECT_EQ(d.offset, 4u);
  TextPosition newline = PositionOfOffset(text, 2);  // the '\n' belongs to line 1
  EXPECT_EQ(newline.line, 1u);
  EXPECT_EQ(newline.column, 3u);
  TextPosition x = PositionOfOffset(text, 8);  // columns count bytes: é is two
  EXPECT_EQ(x.line, 3u);
  EXPECT_EQ(x.column, 3u);
  TextPosition past_end = PositionOfOffset(text, 100);
  EXPECT_EQ(past_end.line, 3u);
  EXPECT_EQ(past_end.column, 4u);
}

// ---- source map

TEST(JsonSourceMapTest, RecordsEveryValueAndKey) {
  const std::string text =
      "{\n"
      "  \"name\": \"x\",\n"
      "  \"contents\": [\n"
      "    {\"@type\": \"Property\", \"a/b\": 1, \"t~x\": [true]}\n"
      "  ]\n"
      "}";
  JsonSourceMap map;
  ASSERT_TRUE(ReadJson(text, {}, &map).ok());
  ASSERT_FALSE(map.empty());
  auto at = [&](std::string_view pointer) { return PositionOfOffset(text, map.OffsetOf(pointer)); };
  EXPECT_EQ(map.OffsetOf(""), 0u);
  EXPECT_EQ(map.OffsetOf("/name"), text.find("\"x\""));
  EXPECT_EQ(map.OffsetOf("/name#key"), text.find("\"name\""));
  EXPECT_EQ(map.OffsetOf("/contents"), text.find('['));
  EXPECT_EQ(map.OffsetOf("/contents#key"), text.find("\"contents\""));
  EXPECT_EQ(map.OffsetOf("/contents/0"), text.find("{\"@type\""));
  EXPECT_EQ(at("/contents/0").line, 4u);
  EXPECT_EQ(at("/contents/0").column, 5u);
  EXPECT_EQ(map.OffsetOf("/contents/0/@type"), text.find("\"Property\""));
  // Escaped tokens: '/' is ~1 and '~' is ~0.
  EXPECT_EQ(map.OffsetOf("/contents/0/a~1b"), text.find("1,"));
  EXPECT_EQ(map.OffsetOf("/contents/0/a~1b#key"), text.find("\"a/b\""));
  EXPECT_EQ(map.OffsetOf("/contents/0/t~0x"), text.find("[true]"));
  EXPECT_EQ(map.OffsetOf("/contents/0/t~0x/0"), text.find("true"));
}

TEST(JsonSourceMapTest, RecordsArrayElementsByIndex) {
  const std::string text = "[10, [20, 30], {\"k\": 40}]";
  JsonSourceMap map;
  ASSERT_TRUE(ReadJson(text, {}, &map).ok());
  EXPECT_EQ(map.OffsetOf("/0"), 1u);
  EXPECT_EQ(map.OffsetOf("/1"), 5u);
  EXPECT_EQ(map.OffsetOf("/1/0"), 6u);
  EXPECT_EQ(map.OffsetOf("/1/1"), 10u);
  EXPECT_EQ(map.OffsetOf("/2"), 15u);
  EXPECT_EQ(map.OffsetOf("/2/k"), 21u);
  EXPECT_EQ(map.OffsetOf("/2/k#key"), 16u);
}

TEST(JsonSourceMapTest, FallsBackToNearestAncestor) {
  const std::string text = "{\"a\": {\"b\": [1, 2]}, \"c\": 3}";
  JsonSourceMap map;
  ASSERT_TRUE(ReadJson(text, {}, &map).ok());
  const size_t b = text.find('[');
  EXPECT_EQ(map.OffsetOf("/a/b/7"), b);      // missing element -> the array
  EXPECT_EQ(map.OffsetOf("/a/b/7/x/y"), b);  // deeper still
  EXPECT_EQ(map.OffsetOf("/a/zz"), text.find("{\"b\""));
  EXPECT_EQ(map.OffsetOf("/nope"), 0u);          // -> the root
  EXPECT_EQ(map.OffsetOf("/a/b/0#key"), b + 1);  // array elements have no key: the value
  EXPECT_EQ(map.OffsetOf("/a/zz#key"), text.find("{\"b\""));  // then ancestors
  EXPECT_EQ(map.OffsetOf("#key"), 0u);
}

TEST(JsonSourceMapTest, EmptyMapAnswersZero) {
  JsonSourceMap map;
  EXPECT_TRUE(map.empty());
  EXPECT_EQ(map.OffsetOf("/a/b"), 0u);
}

TEST(JsonSourceMapTest, RootOffsetSkipsBomAndWhitespace) {
  const std::string text = "\xEF\xBB\xBF  \n [1]";
  JsonSourceMap map;
  ASSERT_TRUE(ReadJson(text, {}, &map).ok());
  EXPECT_EQ(map.OffsetOf(""), 7u);
  EXPECT_EQ(map.OffsetOf("/0"), 8u);
}

TEST(JsonSourceMapTest, LeftUntouchedOnFailure) {
  JsonSourceMap map;
  map.Record("/sentinel", 99);
  ASSERT_FALSE(ReadJson("{\"a\": [1, 2,]}", {}, &map).ok());
  EXPECT_EQ(map.OffsetOf("/sentinel"), 99u);
  EXPECT_EQ(map.OffsetOf("/a"), 0u);  // nothing of the failed parse was recorded
}

TEST(JsonSourceMapTest, ReplacedOnSuccess) {
  JsonSourceMap map;
  map.Record("/stale", 99);
  ASSERT_TRUE(ReadJson("{\"a\": 1}", {}, &map).ok());
  EXPECT_EQ(map.OffsetOf("/stale"), 0u);
  EXPECT_EQ(map.OffsetOf("/a"), 6u);
}

TEST(JsonReaderTest, SameValueWithOrWithoutSourceMap) {
  const std::string text = R"({"a": [1, 2.5, "x\n", {"b~/": null}], "c": true})";
  JsonSourceMap map;
  Result<boost::json::value> with_map = ReadJson(text, {}, &map);
  Result<boost::json::value> without_map = ReadJson(text);
  ASSERT_TRUE(with_map.ok());
  ASSERT_TRUE(without_map.ok());
  EXPECT_EQ(*with_map, *without_map);
  EXPECT_EQ(map.OffsetOf("/a/3/b~0~1"), text.find("null"));
}

}  // namespace
}  // namespace dtwin
