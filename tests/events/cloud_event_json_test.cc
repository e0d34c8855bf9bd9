// Tests for the CloudEvents structured-mode JSON the sinks send (reference/adt-api.md 8.2):
// attributes, optional ones left out, escaping, data embedded as JSON.
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

}  // namespace
}  // namespace dtwin::events
