// Tests for parsing route filters: every documented form is accepted, and every malformed
// filter is rejected with ADT's message shape, the right line and position, and a reason.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>

#include "events/route_filter.h"

namespace dtwin {
namespace {

constexpr std::string_view kHint =
    " See event route documentation for supported values and structure "
    "(https://aka.ms/ADTv2Routes).";

// The full message the service gives for a parsing error.
std::string ParsingError(int line, int position, std::string_view message) {
  return "The provided filter is invalid. Parsing error, Line=" + std::to_string(line) +
         ", Position=" + std::to_string(position) + ", Message=" + std::string(message) + "." +
         std::string(kHint);
}

// The error message of a filter that must not parse ("" if it parses).
std::string ErrorOf(std::string_view text) {
  Result<RouteFilter> filter = RouteFilter::Parse(text);
  if (filter.ok()) return "";
  EXPECT_EQ(filter.status().code(), ErrorCode::kEventRouteFilterInvalid) << text;
  return filter.status().message();
}

TEST(RouteFilterParseTest, RecordedMalformedFilterFailsAtTheSecondWord) {
  // EventRoutes_MalformedEventRouteFilter_ThrowsBadRequestException (real service, 2022-05-31).
  EXPECT_EQ(ErrorOf("this is not a valid filter string"),
            "The provided filter is invalid. Parsing error, Line=1, Position=6, "
            "Message=Unexpected input 'is'. See event route documentation for supported values "
            "and structure (https://aka.ms/ADTv2Routes).");
}

TEST(RouteFilterParseTest, AcceptsEveryDocumentedFilter) {
  // how-to-create-routes (1/2024), how-to-manage-routes (2020), EX2310 and the SDK samples.
  const char* documented[] = {
      "true",
      "false",
      "type = 'Microsoft.DigitalTwins.Twin.Create'",
      "type = 'microsoft.iot.telemetry'",
      "type = 'Microsoft.DigitalTwins.Twin.Create' OR type = 'microsoft.iot.telemetry'",
      "source = 'contoso-adt.api.wus2.digitaltwins.azure.net'",
      "subject = 'room1/relationships/rel1'",
      "dataschema = 'dtmi:example:com:floor4;2'",
      "datacontenttype = 'application/json'",
      "specversion = '1.0'",
      "$body.$metadata.$model = 'dtmi:example:Floor;1'",
      "$body.modelId = 'dtmi:example:Floor;1'",
      "STARTS_WITH($body.$metadata.$model, 'dtmi:example:com:floor')",
      "ENDS_WITH($body.$metadata.$model, 'floor;1')",
      "CONTAINS(subject, 'room1')",
      "$body.errorCode > 200",
      "$body.temperature <= 5.5",
      "$body.poweredOn = true",
      "$body.prop != null",
      "(type != 'microsoft.iot.telemetry' OR datacontenttype = 'application/json') OR "
      "(specversion != '1.0')",
      "type != 'microsoft.iot.telemetry' AND datacontenttype = 'application/json'",
      "$eventType = 'DigitalTwinTelemetryMessages' or $eventType = "
      "'DigitalTwinLifecycleNotification'",
  };
  for (const char* text : documented) EXPECT_EQ(ErrorOf(text), "") << text;
}

TEST(RouteFilterParseTest, AcceptsTheOtherAttributesLiteralsAndNot) {
  const char* filters[] = {
      "id = 'd047e992-dddc-4a5a-b0af-fa79832235f8'",
      "time >= '2020-06-23T19:03:48Z'",
      "traceparent != ''",
      "$body = null",
      "$body.a.b.c1_$x >= -2.5e3",
      "'dtmi:x;1' = $body.modelId",
      "NOT type = 'microsoft.iot.telemetry'",
      "NOT (NOT true)",
      "(((true)))",
      "STARTS_WITH(subject, 'it\\'s') AND CONTAINS(subject, '\\\\') AND subject != '\\\"'",
      "$body.big = 123456789012345678901234567890",
      "  true\n",
  };
  for (const char* text : filters) EXPECT_EQ(ErrorOf(text), "") << text;
}

TEST(RouteFilterParseTest, KeywordsAndFunctionNamesIgnoreCase) {
  EXPECT_EQ(ErrorOf("TRUE"), "");
  EXPECT_EQ(ErrorOf("False or True"), "");
  EXPECT_EQ(ErrorOf("type = 'a' aNd not subject = NULL"), "");
  EXPECT_EQ(ErrorOf("starts_with(subject, 'a') OR Ends_With(subject, 'b') OR contains(id, 'c')"),
            "");
}

TEST(RouteFilterParseTest, AttributeNamesAreCaseSensitive) {
  EXPECT_EQ(ErrorOf("Type = 'Microsoft.DigitalTwins.Twin.Create'"),
            ParsingError(1, 1,
                         "Unknown attribute 'Type'; the attributes are type, source, subject, id, "
                         "specversion, dataschema, datacontenttype, time, traceparent and "
                         "$body.<property> (names are case-sensitive)"));
  EXPECT_NE(ErrorOf("$Body.x = 1"), "");
  EXPECT_NE(ErrorOf("$eventtype = 'DigitalTwinTelemetryMessages'"), "");
}

TEST(RouteFilterParseTest, RejectsUnknownAttributesAndFunctions) {
  EXPECT_EQ(ErrorOf("type = 'a' OR eventType = 'b'"),
            ParsingError(1, 15,
                         "Unknown attribute 'eventType'; the attributes are type, source, subject, "
                         "id, specversion, dataschema, datacontenttype, time, traceparent and "
                         "$body.<property> (names are case-sensitive)"));
  EXPECT_NE(ErrorOf("$bodyx = 1").find("Unknown attribute '$bodyx'"), std::string::npos);
  EXPECT_NE(ErrorOf("type.name = 'a'").find("Unknown attribute 'type.name'"), std::string::npos);
  EXPECT_EQ(ErrorOf("true AND STARTSWITH(subject, 'a')"),
            ParsingError(1, 10,
                         "Unknown function 'STARTSWITH'; the functions are STARTS_WITH, ENDS_WITH "
                         "and CONTAINS"));
  EXPECT_EQ(ErrorOf("IS_DEFINED($body.x)"),
            ParsingError(1, 1,
                         "Unknown function 'IS_DEFINED'; the functions are STARTS_WITH, "
                         "ENDS_WITH and CONTAINS"));
}

TEST(RouteFilterParseTest, FunctionsTakeTwoArguments) {
  EXPECT_EQ(ErrorOf("STARTS_WITH(subject)"),
            ParsingError(1, 1, "STARTS_WITH takes 2 arguments, not 1"));
  EXPECT_EQ(ErrorOf("true OR contains(subject, 'a', 'b')"),
            ParsingError(1, 9, "CONTAINS takes 2 arguments, not 3"));
  EXPECT_EQ(ErrorOf("ENDS_WITH()"), ParsingError(1, 1, "ENDS_WITH takes 2 arguments, not 0"));
  EXPECT_EQ(ErrorOf("ENDS_WITH(subject,)"), ParsingError(1, 19, "Unexpected input ')'"));
  EXPECT_EQ(ErrorOf("ENDS_WITH(subject 'a')"), ParsingError(1, 19, "Unexpected input ''a''"));
}

TEST(RouteFilterParseTest, ValuesAloneAreNotConditions) {
  const std::string expected_message =
      "Expected a condition (a comparison, STARTS_WITH, ENDS_WITH, CONTAINS, true or false), not "
      "a value on its own";
  EXPECT_EQ(ErrorOf("type"), ParsingError(1, 1, expected_message));
  EXPECT_EQ(ErrorOf("'Microsoft.DigitalTwins.Twin.Create'"), ParsingError(1, 1, expected_message));
  EXPECT_EQ(ErrorOf("true AND $body.poweredOn"), ParsingError(1, 10, expected_message));
  EXPECT_EQ(ErrorOf("NOT 5"), ParsingError(1, 5, expected_message));
  EXPECT_EQ(ErrorOf("(null)"), ParsingError(1, 2, expected_message));
}

TEST(RouteFilterParseTest, ReportsWhereTheSyntaxBreaks) {
  EXPECT_EQ(ErrorOf(""), ParsingError(1, 1, "Unexpected end of input"));
  EXPECT_EQ(ErrorOf("   "), ParsingError(1, 4, "Unexpected end of input"));
  EXPECT_EQ(ErrorOf("type ="), ParsingError(1, 7, "Unexpected end of input"));
  EXPECT_EQ(ErrorOf("type = 'a' AND"), ParsingError(1, 15, "Unexpected end of input"));
  EXPECT_EQ(ErrorOf("(type = 'a'"), ParsingError(1, 12, "Unexpected end of input"));
  EXPECT_EQ(ErrorOf("type = 'a')"), ParsingError(1, 11, "Unexpected input ')'"));
  EXPECT_EQ(ErrorOf("type == 'a'"), ParsingError(1, 7, "Unexpected input '='"));
  EXPECT_EQ(ErrorOf("type <> 'a'"), ParsingError(1, 7, "Unexpected input '>'"));
  EXPECT_EQ(ErrorOf("type = 'a' = 'b'"), ParsingError(1, 12, "Unexpected input '='"));
  EXPECT_EQ(ErrorOf("type = \"a\""), ParsingError(1, 8, "Unexpected input '\"'"));
  EXPECT_EQ(ErrorOf("type = 'a' && true"), ParsingError(1, 12, "Unexpected input '&'"));
  EXPECT_EQ(ErrorOf("!true"), ParsingError(1, 1, "Unexpected input '!'"));
  EXPECT_EQ(ErrorOf("$body.x > -"), ParsingError(1, 11, "Unexpected input '-'"));
  EXPECT_EQ(ErrorOf("$body.x > .5"), ParsingError(1, 11, "Unexpected input '.'"));
  EXPECT_EQ(ErrorOf("AND true"), ParsingError(1, 1, "Unexpected input 'AND'"));
  EXPECT_EQ(ErrorOf("true true"), ParsingError(1, 6, "Unexpected input 'true'"));
  EXPECT_EQ(ErrorOf("()"), ParsingError(1, 2, "Unexpected input ')'"));
}

TEST(RouteFilterParseTest, SyntaxErrorsWinOverNamingErrorsBeforeThem) {
  // The unknown attribute comes first in the text, but the service reports the syntax error.
  EXPECT_EQ(ErrorOf("foo = 'x' AND AND"), ParsingError(1, 15, "Unexpected input 'AND'"));
  EXPECT_EQ(ErrorOf("FOO(subject) OR"), ParsingError(1, 16, "Unexpected end of input"));
  // Among naming errors, the first in the text wins.
  EXPECT_NE(ErrorOf("bar = 1 AND foo = 2").find("Position=1, Message=Unknown attribute 'bar'"),
            std::string::npos);
}

TEST(RouteFilterParseTest, RejectsMalformedStrings) {
  EXPECT_EQ(ErrorOf("type = 'Microsoft.DigitalTwins.Twin.Create"),
            ParsingError(1, 8, "Unterminated string literal"));
  EXPECT_EQ(ErrorOf("subject = 'a\\'"), ParsingError(1, 11, "Unterminated string literal"));
  EXPECT_EQ(ErrorOf("subject = 'a\\"), ParsingError(1, 11, "Unterminated string literal"));
  EXPECT_EQ(
      ErrorOf("subject = 'a\\nb'"),
      ParsingError(1, 13, "Invalid escape sequence '\\n' in a string; use \\', \\\" or \\\\"));
}

TEST(RouteFilterParseTest, RejectsMalformedPathsAndNumbers) {
  EXPECT_EQ(ErrorOf("$body. = 1"), ParsingError(1, 7, "Expected a property name after '.'"));
  EXPECT_EQ(ErrorOf("$body.a..b = 1"), ParsingError(1, 9, "Expected a property name after '.'"));
  EXPECT_EQ(ErrorOf("$body.x > 1e999"), ParsingError(1, 11, "The number 1e999 is out of range"));
  EXPECT_EQ(ErrorOf("$body.x > 12abc"), ParsingError(1, 13, "Unexpected input 'abc'"));
}

TEST(RouteFilterParseTest, CountsLinesAndCharactersNotBytes) {
  EXPECT_EQ(ErrorOf("type = 'a'\n  AND subject ="), ParsingError(2, 16, "Unexpected end of input"));
  EXPECT_EQ(ErrorOf("true OR\r\nfalse OR\r\n  OR"), ParsingError(3, 3, "Unexpected input 'OR'"));
  // 'é' and '€' are several bytes each but one character.
  EXPECT_EQ(ErrorOf("subject = 'é€' € true"), ParsingError(1, 16, "Unexpected input '€'"));
}

TEST(RouteFilterParseTest, LongTokensAreCutInMessages) {
  const std::string literal = "'" + std::string(100, 'x') + "'";
  EXPECT_EQ(ErrorOf("true " + literal),
            ParsingError(1, 6, "Unexpected input '" + literal.substr(0, 40) + "...'"));
}

TEST(RouteFilterParseTest, LimitsTheLength) {
  const std::string at_limit = "true" + std::string(kMaxRouteFilterLength - 4, ' ');
  EXPECT_EQ(ErrorOf(at_limit), "");
  EXPECT_EQ(ErrorOf(at_limit + " "),
            "The provided filter is invalid. The filter has 2049 characters; the maximum is 2048." +
                std::string(kHint));
  // Characters, not bytes: 2012 characters of which 2000 take two bytes each.
  std::string wide = "subject = '";
  for (int i = 0; i < 2000; ++i) wide += "é";
  EXPECT_EQ(ErrorOf(wide + "'"), "");
}

TEST(RouteFilterParseTest, LimitsNestingWithoutExhaustingTheStack) {
  const int limit = kMaxRouteFilterNesting;
  const std::string nesting_error =
      "The filter nests parentheses, NOT and function calls more than 64 levels deep";
  EXPECT_EQ(ErrorOf(std::string(limit, '(') + "true" + std::string(limit, ')')), "");
  EXPECT_EQ(ErrorOf(std::string(limit + 1, '(') + "true" + std::string(limit + 1, ')')),
            ParsingError(1, limit + 1, nesting_error));
  // Far beyond the limit (but within the length limit): an error, not a crash.
  EXPECT_EQ(ErrorOf(std::string(2000, '(')), ParsingError(1, limit + 1, nesting_error));
  std::string nots;
  for (int i = 0; i <= limit; ++i) nots += "NOT ";
  EXPECT_EQ(ErrorOf(nots + "true"), ParsingError(1, 4 * limit + 1, nesting_error));
  std::string calls = "true";
  for (int i = 0; i <= limit; ++i) calls = "CONTAINS(" + calls + ", 'a')";
  EXPECT_EQ(ErrorOf(calls), ParsingError(1, 9 * limit + 9, nesting_error));
}

TEST(RouteFilterParseTest, LongChainsAreNotNesting) {
  std::string chain = "true";
  for (int i = 0; i < 200; ++i) chain += i % 2 == 0 ? " AND true" : " OR false";
  ASSERT_LE(chain.size(), kMaxRouteFilterLength);
  EXPECT_EQ(ErrorOf(chain), "");
}

TEST(RouteFilterParseTest, ArbitraryTokenSoupParsesOrFailsCleanly) {
  // Deterministic: the same 20,000 filters every run.
  const char* pieces[] = {"(",     ")",           ",",      "=",       "!=",   "<",
                          ">=",    "AND ",        "or ",    "NOT ",    "true", "null",
                          "'a'",   "'b\\'c'",     "'",      "-1.5e3",  "7",    "type",
                          "$body", "$body.x.y",   "$body.", "subject", "foo",  "CONTAINS(",
                          "é",     "STARTS_WITH", "\n",     " ",       "!",    "."};
  std::mt19937 random(20240601);
  std::uniform_int_distribution<size_t> piece(0, std::size(pieces) - 1);
  std::uniform_int_distribution<int> length(0, 12);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (int n = length(random); n > 0; --n) text += pieces[piece(random)];
    Result<RouteFilter> filter = RouteFilter::Parse(text);
    if (filter.ok()) {
      ++accepted;
      continue;
    }
    ASSERT_EQ(filter.status().code(), ErrorCode::kEventRouteFilterInvalid) << text;
    ASSERT_EQ(
        filter.status().message().rfind("The provided filter is invalid. Parsing error, Line=", 0),
        0u)
        << text;
  }
  EXPECT_GT(accepted, 0);
}

TEST(RouteFilterParseTest, KnowsWhetherItReadsTheBody) {
  auto reads_body = [](std::string_view text) {
    Result<RouteFilter> filter = RouteFilter::Parse(text);
    EXPECT_TRUE(filter.ok()) << text;
    return filter.ok() && filter->reads_body();
  };
  EXPECT_FALSE(reads_body("true"));
  EXPECT_FALSE(
      reads_body("type = 'Microsoft.DigitalTwins.Twin.Update' OR STARTS_WITH(subject, 'a')"));
  EXPECT_FALSE(reads_body("$eventType = 'DigitalTwinTelemetryMessages'"));
  EXPECT_TRUE(reads_body("$body.temperature > 20"));
  EXPECT_TRUE(reads_body("type = 'x' AND (NOT CONTAINS($body.name, 'a'))"));
  EXPECT_TRUE(reads_body("subject = 'a' OR ENDS_WITH(subject, $body.suffix)"));
}

}  // namespace
}  // namespace dtwin
