// Tests for the CloudEvents structured-mode JSON the sinks send (reference/adt-api.md 8.2):
// attributes, optional ones left out, escaping, data embedded as JSON; and for reading it back
// (the outbox's form): exact round trips, data kept byte for byte, bad input refused.
#include "events/cloud_event_json.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace dtwin::events {
namespace {

CloudEvent TelemetryEvent() {
  CloudEvent event;
  event.id = "df5a5992-0000-4000-8000-000000000001";
  event.source = "contoso-adt.api.wus2.digitaltwins.azure.net/digitaltwins/room1";
  event.type = "microsoft.iot.telemetry";
  event.subject = "comp1";
  event.time = "2020-06-23T19:03:48.9700792Z";
  event.data_schema = "dtmi:example:com:floor4;2";
  event.traceparent = "00-18f4e34b3e4a784aadf5913917537e7d-691a71e0a220d642-01";
  event.data = R"({"Temperature":10.5,"tags":["a","b"]})";
  return event;
}

TEST(CloudEventJsonTest, RendersEveryAttributeAndDataAsJson) {
  boost::json::value json = boost::json::parse(StructuredCloudEventJson(TelemetryEvent()));
  const boost::json::object& object = json.as_object();
  EXPECT_EQ(object.at("specversion"), "1.0");
  EXPECT_EQ(object.at("id"), "df5a5992-0000-4000-8000-000000000001");
  EXPECT_EQ(object.at("source"), "contoso-adt.api.wus2.digitaltwins.azure.net/digitaltwins/room1");
  EXPECT_EQ(object.at("type"), "microsoft.iot.telemetry");
  EXPECT_EQ(object.at("subject"), "comp1");
  EXPECT_EQ(object.at("time"), "2020-06-23T19:03:48.9700792Z");
  EXPECT_EQ(object.at("datacontenttype"), "application/json");
  EXPECT_EQ(object.at("dataschema"), "dtmi:example:com:floor4;2");
  EXPECT_EQ(object.at("traceparent"), "00-18f4e34b3e4a784aadf5913917537e7d-691a71e0a220d642-01");
  EXPECT_EQ(object.at("data"), boost::json::parse(R"({"Temperature":10.5,"tags":["a","b"]})"));
  EXPECT_EQ(object.size(), 10u);
}

TEST(CloudEventJsonTest, LeavesOutEmptyOptionalAttributes) {
  CloudEvent event;
  event.id = "1";
  event.source = "host";
  event.type = "Microsoft.DigitalTwins.Twin.Delete";
  event.data_content_type.clear();
  boost::json::value json = boost::json::parse(StructuredCloudEventJson(event));
  const boost::json::object& object = json.as_object();
  EXPECT_EQ(object.size(), 4u) << json;  // specversion, id, source, type
  for (const char* absent :
       {"subject", "time", "datacontenttype", "dataschema", "traceparent", "data"}) {
    EXPECT_FALSE(object.contains(absent)) << absent;
  }
}

TEST(CloudEventJsonTest, EscapesAttributeValues) {
  CloudEvent event = TelemetryEvent();
  event.subject = "twin \"q\"\\x/relationships/r\n\x01";
  boost::json::value json = boost::json::parse(StructuredCloudEventJson(event));
  EXPECT_EQ(json.at("subject"), "twin \"q\"\\x/relationships/r\n\x01");
}

void ExpectSameEvent(const CloudEvent& actual, const CloudEvent& expected) {
  EXPECT_EQ(actual.id, expected.id);
  EXPECT_EQ(actual.source, expected.source);
  EXPECT_EQ(actual.type, expected.type);
  EXPECT_EQ(actual.subject, expected.subject);
  EXPECT_EQ(actual.time, expected.time);
  EXPECT_EQ(actual.data_content_type, expected.data_content_type);
  EXPECT_EQ(actual.data_schema, expected.data_schema);
  EXPECT_EQ(actual.traceparent, expected.traceparent);
  EXPECT_EQ(actual.data, expected.data);
}

TEST(ParseStructuredCloudEventTest, RoundTripsEveryAttributeAndDataByteForByte) {
  CloudEvent event = TelemetryEvent();
  // Spellings a parse-and-serialize round trip would change.
  event.data = R"({"t":2.1375E1,"big":18446744073709551615,"x":1.0,"s":"\u00e9\n","a":[ 1 ,2 ]})";
  Result<CloudEvent> parsed = ParseStructuredCloudEvent(StructuredCloudEventJson(event));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ExpectSameEvent(*parsed, event);
}

TEST(ParseStructuredCloudEventTest, RoundTripsAMinimalEventAndEscapedText) {
  CloudEvent event;
  event.id = "1";
  event.source = "host";
  event.type = "Microsoft.DigitalTwins.Twin.Delete";
  event.subject = "twin \"q\"\\x/relationships/r\n\x01\xC3\xA9";
  event.data_content_type.clear();
  Result<CloudEvent> parsed = ParseStructuredCloudEvent(StructuredCloudEventJson(event));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ExpectSameEvent(*parsed, event);
}

TEST(ParseStructuredCloudEventTest, DataOfEveryJsonKindComesBackAsItsText) {
  for (std::string data : {"\"text\"", "null", "true", "-0.5e-3", "[]", "{\"data\":{}}"}) {
    CloudEvent event = TelemetryEvent();
    event.data = data;
    Result<CloudEvent> parsed = ParseStructuredCloudEvent(StructuredCloudEventJson(event));
    ASSERT_TRUE(parsed.ok()) << data << ": " << parsed.status().ToString();
    EXPECT_EQ(parsed->data, data);
  }
}

TEST(ParseStructuredCloudEventTest, ReadsOtherMemberOrderAndWhitespace) {
  Result<CloudEvent> parsed = ParseStructuredCloudEvent(
      "{ \"data\" : {\"a\": 1} ,\n \"type\":\"t\", \"id\":\"i\", \"specversion\":\"1.0\", "
      "\"source\":\"s\" }\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->data, "{\"a\": 1}");
  EXPECT_EQ(parsed->id, "i");
  EXPECT_EQ(parsed->type, "t");
  EXPECT_EQ(parsed->data_content_type, "");
}

TEST(ParseStructuredCloudEventTest, RefusesBadInputSayingWhy) {
  const std::string base = R"("specversion":"1.0","id":"i","source":"s","type":"t")";
  struct Case {
    std::string json;
    std::string message;
  };
  const Case cases[] = {
      {"{\"specversion\":", "structured CloudEvent: "},  // then ReadJson's line and column
      {"[]", "structured CloudEvent: not a JSON object"},
      {R"({"id":"i","source":"s","type":"t"})", "structured CloudEvent: specversion is missing"},
      {R"({"specversion":"0.3","id":"i","source":"s","type":"t"})",
       "structured CloudEvent: specversion must be \"1.0\""},
      {R"({"specversion":"1.0","source":"s","type":"t"})",
       "structured CloudEvent: id is missing or empty"},
      {R"({"specversion":"1.0","id":"i","source":"","type":"t"})",
       "structured CloudEvent: source is missing or empty"},
      {"{" + base + R"(,"subject":7})", "structured CloudEvent: subject is not a string"},
      {"{" + base + R"(,"partitionkey":"x"})",
       "structured CloudEvent: member \"partitionkey\" is not an attribute dtwin events carry"},
      {"{" + base + R"(,"data_base64":"AAAA"})",
       "structured CloudEvent: member \"data_base64\" is not an attribute dtwin events carry"},
  };
  for (const Case& c : cases) {
    Result<CloudEvent> parsed = ParseStructuredCloudEvent(c.json);
    ASSERT_FALSE(parsed.ok()) << c.json;
    EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_TRUE(parsed.status().message().starts_with(c.message))
        << c.json << " -> " << parsed.status().message();
  }
  Result<CloudEvent> truncated = ParseStructuredCloudEvent("{\"specversion\":");
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.status().message().find("line 1, column"), std::string::npos)
      << truncated.status().message();
  Result<CloudEvent> duplicate = ParseStructuredCloudEvent("{" + base + R"(,"id":"j"})");
  EXPECT_FALSE(duplicate.ok());
}

}  // namespace
}  // namespace dtwin::events
