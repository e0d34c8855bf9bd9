// Tests for evaluating route filters against the events ADT emits (reference/adt-api.md
// 8.1, 8.2): documented examples, missing values, types, numbers, case and operators.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <string_view>
#include <thread>
#include <vector>

#include "events/route_filter.h"

namespace dtwin {
namespace {

constexpr std::string_view kSource = "contoso-adt.api.wus2.digitaltwins.azure.net";

// The filter, which must parse.
RouteFilter Filter(std::string_view text) {
  Result<RouteFilter> filter = RouteFilter::Parse(text);
  if (!filter.ok()) {
    ADD_FAILURE() << text << ": " << filter.status().ToString();
    return RouteFilter::Parse("false").value();
  }
  return std::move(filter).value();
}

bool Matches(std::string_view filter, const FilterInput& event) {
  return Filter(filter).Matches(event);
}

FilterInput Notification(std::string_view type, std::string_view subject,
                         const boost::json::value& data) {
  FilterInput event;
  event.type = type;
  event.source = kSource;
  event.id = "d047e992-dddc-4a5a-b0af-fa79832235f8";
  event.subject = subject;
  event.specversion = "1.0";
  event.datacontenttype = "application/json";
  event.time = "2020-06-23T19:03:48.9700792Z";
  event.traceparent = "00-18f4e34b3e4a784aadf5913917537e7d-691a71e0a220d642-01";
  event.data = &data;
  return event;
}

// Twin-level telemetry: no subject and no time (the documented example).
FilterInput Telemetry(const boost::json::value& data) {
  FilterInput event;
  event.type = "microsoft.iot.telemetry";
  event.source = "contoso-adt.api.wus2.digitaltwins.azure.net/digitaltwins/room1";
  event.id = "df5a5992-817b-4e8a-b12c-e0b18d4bf8fb";
  event.specversion = "1.0";
  event.dataschema = "dtmi:example:com:floor4;2";
  event.datacontenttype = "application/json";
  event.traceparent = "00-7e3081c6d3edfb4eaf7d3244b2036baa-23d762f4d9f81741-01";
  event.data = &data;
  return event;
}

class RouteFilterMatchTest : public ::testing::Test {
 protected:
  const boost::json::value twin_ = boost::json::parse(
      R"({"$dtId":"floor1","$etag":"W/\"e398dbf4\"","$metadata":{"$model":"dtmi:example:com:floor;1"}})");
  const boost::json::value patch_ = boost::json::parse(
      R"({"modelId":"dtmi:example:com:floor4;2","patch":[{"value":40,"path":"/Temperature","op":"replace"}]})");
  const boost::json::value relationship_ = boost::json::parse(
      R"({"$relationshipId":"r1","$sourceId":"room1","$relationshipName":"contains","$targetId":"floor1"})");
  const boost::json::value reading_ = boost::json::parse(
      R"({"temperature":5.5,"errorCode":201,"poweredOn":true,"prop":null,"label":"it's"})");

  const FilterInput create_ = Notification("Microsoft.DigitalTwins.Twin.Create", "floor1", twin_);
  const FilterInput delete_ = Notification("Microsoft.DigitalTwins.Twin.Delete", "floor1", twin_);
  const FilterInput update_ = Notification("Microsoft.DigitalTwins.Twin.Update", "floor1", patch_);
  const FilterInput relationship_create_ = Notification(
      "Microsoft.DigitalTwins.Relationship.Create", "room1/relationships/r1", relationship_);
  const FilterInput telemetry_ = Telemetry(reading_);

  std::vector<const FilterInput*> All() const {
    return {&create_, &delete_, &update_, &relationship_create_, &telemetry_};
  }
};

TEST_F(RouteFilterMatchTest, TrueRoutesEverythingAndFalseNothing) {
  for (const FilterInput* event : All()) {
    EXPECT_TRUE(Matches("true", *event));
    EXPECT_FALSE(Matches("false", *event));
  }
}

TEST_F(RouteFilterMatchTest, TypeSelectsOneKindOfEvent) {
  const RouteFilter filter = Filter("type = 'Microsoft.DigitalTwins.Twin.Create'");
  EXPECT_TRUE(filter.Matches(create_));
  EXPECT_FALSE(filter.Matches(delete_));
  EXPECT_FALSE(filter.Matches(telemetry_));
  // EX2310's filter.
  const RouteFilter either =
      Filter("type = 'Microsoft.DigitalTwins.Twin.Create' OR type = 'microsoft.iot.telemetry'");
  EXPECT_TRUE(either.Matches(create_));
  EXPECT_TRUE(either.Matches(telemetry_));
  EXPECT_FALSE(either.Matches(update_));
  EXPECT_FALSE(either.Matches(relationship_create_));
}

TEST_F(RouteFilterMatchTest, ValuesAreCaseSensitive) {
  EXPECT_FALSE(Matches("type = 'microsoft.digitaltwins.twin.create'", create_));
  EXPECT_FALSE(Matches("type = 'Microsoft.IoT.Telemetry'", telemetry_));
  EXPECT_FALSE(Matches("$body.Temperature = 5.5", telemetry_));
  EXPECT_TRUE(Matches("$body.temperature = 5.5", telemetry_));
}

TEST_F(RouteFilterMatchTest, EnvelopeAttributes) {
  EXPECT_TRUE(Matches("source = 'contoso-adt.api.wus2.digitaltwins.azure.net'", create_));
  EXPECT_FALSE(Matches("source = 'contoso-adt.api.wus2.digitaltwins.azure.net'", telemetry_));
  EXPECT_TRUE(Matches("subject = 'room1/relationships/r1'", relationship_create_));
  EXPECT_TRUE(Matches("dataschema = 'dtmi:example:com:floor4;2'", telemetry_));
  EXPECT_TRUE(Matches("datacontenttype = 'application/json'", update_));
  EXPECT_TRUE(Matches("specversion = '1.0'", telemetry_));
  EXPECT_FALSE(Matches("specversion = 1.0", telemetry_));  // a string is never a number
  EXPECT_TRUE(Matches("id = 'd047e992-dddc-4a5a-b0af-fa79832235f8'", create_));
  EXPECT_TRUE(Matches("time > '2020-06-23T19:03' AND time < '2020-06-24'", create_));
  // Times are strings: they order character by character, not as instants.
  EXPECT_FALSE(Matches("time > '2020-06-23T19:03:48Z'", create_));
  EXPECT_TRUE(Matches("STARTS_WITH(traceparent, '00-18f4')", create_));
}

TEST_F(RouteFilterMatchTest, DocumentedNestedExample) {
  const RouteFilter filter = Filter(
      "(type != 'microsoft.iot.telemetry' OR datacontenttype = 'application/json') OR "
      "(specversion != '1.0')");
  for (const FilterInput* event : All()) EXPECT_TRUE(filter.Matches(*event));
  FilterInput xml = telemetry_;
  xml.datacontenttype = "application/xml";
  EXPECT_FALSE(filter.Matches(xml));
}

TEST_F(RouteFilterMatchTest, BodyPathsReachTheEventData) {
  EXPECT_TRUE(Matches("$body.$metadata.$model = 'dtmi:example:com:floor;1'", create_));
  EXPECT_TRUE(Matches("$body.modelId = 'dtmi:example:com:floor4;2'", update_));
  EXPECT_TRUE(Matches("$body.$dtId = subject", create_));
  EXPECT_TRUE(Matches("$body.errorCode > 200", telemetry_));
  EXPECT_FALSE(Matches("$body.errorCode > 201", telemetry_));
  EXPECT_TRUE(Matches("$body.temperature <= 5.5", telemetry_));
  EXPECT_FALSE(Matches("$body.temperature < 5.5", telemetry_));
  EXPECT_TRUE(Matches("$body.poweredOn = true", telemetry_));
  EXPECT_FALSE(Matches("$body.poweredOn = false", telemetry_));
  EXPECT_TRUE(Matches("$body.label = 'it\\'s'", telemetry_));
}

TEST_F(RouteFilterMatchTest, DocumentedFunctions) {
  EXPECT_TRUE(Matches("STARTS_WITH($body.$metadata.$model, 'dtmi:example:com:floor')", create_));
  EXPECT_TRUE(Matches("ENDS_WITH($body.$metadata.$model, 'floor;1')", create_));
  EXPECT_FALSE(Matches("ENDS_WITH($body.$metadata.$model, 'floor;2')", create_));
  EXPECT_TRUE(Matches("CONTAINS(subject, 'room1')", relationship_create_));
  EXPECT_FALSE(Matches("CONTAINS(subject, 'room2')", relationship_create_));
  EXPECT_TRUE(Matches("CONTAINS(subject, '')", create_));
  // Case-sensitive, and false unless both arguments are strings.
  EXPECT_FALSE(Matches("STARTS_WITH(subject, 'Floor')", create_));
  EXPECT_FALSE(Matches("STARTS_WITH($body.errorCode, '2')", telemetry_));
  EXPECT_FALSE(Matches("CONTAINS($body.$metadata, 'dtmi')", create_));
  EXPECT_FALSE(Matches("CONTAINS(subject, 'r')", telemetry_));  // no subject
}

TEST_F(RouteFilterMatchTest, NullTestsPresence) {
  boost::json::value five = boost::json::parse(R"({"prop":5})");
  const FilterInput with_value = Telemetry(five);
  EXPECT_TRUE(Matches("$body.prop != null", with_value));
  EXPECT_FALSE(Matches("$body.prop = null", with_value));
  EXPECT_FALSE(Matches("$body.prop != null", telemetry_));  // present but null
  EXPECT_TRUE(Matches("$body.prop = null", telemetry_));
  EXPECT_FALSE(Matches("$body.absent != null", telemetry_));  // missing
  EXPECT_FALSE(Matches("$body.absent = null", telemetry_));
}

TEST_F(RouteFilterMatchTest, ComparisonsWithMissingValuesAreFalse) {
  for (const char* filter :
       {"subject = ''", "subject != 'x'", "subject < 'z'", "time >= ''", "$body.nope = 1",
        "$body.nope != 1", "$body.temperature.value = 1", "$body.nope = $body.nope"}) {
    EXPECT_FALSE(Matches(filter, telemetry_)) << filter;
  }
  FilterInput no_data = telemetry_;
  no_data.data = nullptr;
  EXPECT_FALSE(Matches("$body != null", no_data));
  EXPECT_TRUE(Matches("$body != null", telemetry_));
  // NOT (a dtwin extension) turns such a false into true.
  EXPECT_TRUE(Matches("NOT subject = 'x'", telemetry_));
}

TEST_F(RouteFilterMatchTest, FieldsInsideArraysAreNotReached) {
  EXPECT_FALSE(Matches("$body.patch.0.value = 40", update_));
  EXPECT_TRUE(Matches("$body.patch != null", update_));
}

TEST_F(RouteFilterMatchTest, ValuesOfDifferentTypesAreNeverEqual) {
  EXPECT_FALSE(Matches("$body.errorCode = '201'", telemetry_));
  EXPECT_TRUE(Matches("$body.errorCode != '201'", telemetry_));
  EXPECT_FALSE(Matches("$body.errorCode > '200'", telemetry_));
  EXPECT_FALSE(Matches("$body.poweredOn = 1", telemetry_));
  EXPECT_FALSE(Matches("$body.poweredOn > false", telemetry_));  // booleans have no order
  EXPECT_FALSE(Matches("$body.prop <= null", telemetry_));
}

TEST_F(RouteFilterMatchTest, StringsOrderByCodeUnits) {
  EXPECT_TRUE(Matches("subject > 'floor0' AND subject < 'floor2'", create_));
  EXPECT_TRUE(Matches("subject < 'floor1a'", create_));
  EXPECT_TRUE(Matches("subject > 'Floor9'", create_));  // 'f' sorts after 'F'
}

TEST_F(RouteFilterMatchTest, NumbersCompareExactlyAcrossIntegersAndDecimals) {
  boost::json::value numbers = boost::json::parse(
      R"({"int":5,"big":9007199254740993,"huge":18446744073709551615,"neg":-1,
          "dbl":9007199254740992.0,"half":2.5})");
  const FilterInput event = Telemetry(numbers);
  EXPECT_TRUE(Matches("$body.int = 5.0", event));
  EXPECT_TRUE(Matches("$body.int = 5", event));
  EXPECT_TRUE(Matches("$body.int < 5.000001 AND $body.int > 4.999999", event));
  EXPECT_TRUE(Matches("$body.int >= 5e0 AND $body.int <= 0.5e1", event));
  // 2^53 + 1 is not a double: exact integer comparison, and exact against doubles.
  EXPECT_TRUE(Matches("$body.big = 9007199254740993", event));
  EXPECT_FALSE(Matches("$body.big = 9007199254740992", event));
  EXPECT_TRUE(Matches("$body.big > $body.dbl", event));
  EXPECT_FALSE(Matches("$body.dbl = 9007199254740993", event));
  EXPECT_TRUE(Matches("$body.dbl = 9007199254740992", event));
  // uint64 beyond int64, and negative numbers against it.
  EXPECT_TRUE(Matches("$body.huge > 9223372036854775807", event));
  EXPECT_TRUE(Matches("$body.huge = 18446744073709551615", event));   // a literal above int64
  EXPECT_FALSE(Matches("$body.huge = 18446744073709551616", event));  // 2^64: a double
  EXPECT_TRUE(Matches("$body.neg < $body.huge", event));
  EXPECT_TRUE(Matches("$body.huge > -1e300 AND $body.huge < 1e300", event));
  EXPECT_TRUE(Matches("$body.half > 2 AND $body.half < 3", event));
  EXPECT_TRUE(Matches("$body.neg = -1 AND $body.neg > -1.5 AND $body.neg < -0.5", event));
}

TEST_F(RouteFilterMatchTest, ObjectsCompareByContent) {
  boost::json::value objects =
      boost::json::parse(R"({"a":{"x":[1,2]},"b":{"x":[1,2]},"c":{"x":[2,1]}})");
  const FilterInput event = Telemetry(objects);
  EXPECT_TRUE(Matches("$body.a = $body.b", event));
  EXPECT_FALSE(Matches("$body.a = $body.c", event));
  EXPECT_TRUE(Matches("$body.a != $body.c", event));
  EXPECT_FALSE(Matches("$body.a < $body.c", event));
}

TEST_F(RouteFilterMatchTest, AndBindsTighterThanOr) {
  EXPECT_TRUE(Matches("type = 'Microsoft.DigitalTwins.Twin.Create' OR true AND false", create_));
  EXPECT_FALSE(Matches("(type = 'Microsoft.DigitalTwins.Twin.Create' OR true) AND false", create_));
  EXPECT_TRUE(Matches("false AND false OR true", create_));
}

TEST_F(RouteFilterMatchTest, NotBindsTighterThanAnd) {
  EXPECT_TRUE(Matches("NOT type = 'microsoft.iot.telemetry' AND subject = 'floor1'", create_));
  EXPECT_FALSE(Matches("NOT type = 'microsoft.iot.telemetry' AND subject = 'floor1'", telemetry_));
  EXPECT_TRUE(Matches("NOT (false OR false)", create_));
  EXPECT_FALSE(Matches("NOT NOT false", create_));
  EXPECT_TRUE(Matches("NOT STARTS_WITH(subject, 'room')", create_));
}

TEST_F(RouteFilterMatchTest, KeywordCaseDoesNotChangeTheResult) {
  EXPECT_TRUE(Matches("type = 'x' or TRUE", create_));
  EXPECT_FALSE(Matches("type = 'x' Or FALSE", create_));
  EXPECT_TRUE(Matches("starts_with(subject, 'floor') and $body.$metadata != NULL", create_));
}

TEST_F(RouteFilterMatchTest, LegacyEventTypeOfTheSdkSamples) {
  const RouteFilter filter = Filter(
      "$eventType = 'DigitalTwinTelemetryMessages' or $eventType = "
      "'DigitalTwinLifecycleNotification'");
  EXPECT_TRUE(filter.Matches(telemetry_));
  EXPECT_TRUE(filter.Matches(create_));
  EXPECT_TRUE(filter.Matches(delete_));
  EXPECT_FALSE(filter.Matches(update_));
  EXPECT_FALSE(filter.Matches(relationship_create_));
  EXPECT_TRUE(Matches("$eventType = 'DigitalTwinChangeNotification'", update_));
  EXPECT_TRUE(
      Matches("$eventType = 'DigitalTwinRelationshipChangeNotification'", relationship_create_));
  FilterInput untyped = create_;
  untyped.type = std::nullopt;
  EXPECT_FALSE(Matches("$eventType != 'x'", untyped));
}

TEST_F(RouteFilterMatchTest, LiteralsCompareWithEachOther) {
  EXPECT_TRUE(Matches("'a' = 'a' AND 1 = 1.0 AND null = null AND true != false", create_));
  EXPECT_FALSE(Matches("'a' = 'A'", create_));
  EXPECT_TRUE(Matches("(1 < 2) = true", create_));
}

TEST_F(RouteFilterMatchTest, FiltersAreSharedValuesUsableFromManyThreads) {
  std::vector<RouteFilter> copies;
  {
    const RouteFilter original = Filter("STARTS_WITH($body.$metadata.$model, 'dtmi:example')");
    copies.assign(4, original);
  }  // the original is gone; the copies share its tree
  std::vector<int> matched(copies.size(), 0);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < copies.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int n = 0; n < 1000; ++n) {
        matched[i] += copies[i].Matches(create_) ? 1 : 0;
        matched[i] += copies[i].Matches(telemetry_) ? 1 : 0;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int count : matched) EXPECT_EQ(count, 1000);
}

}  // namespace
}  // namespace dtwin
