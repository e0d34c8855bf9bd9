// Tests for ADT's notifications as CloudEvents: each kind's exact JSON against the examples of
// ADT's documentation (concepts-event-notifications, how-to-create-routes), traceparent
// generation and propagation, and the route filters of adt-api.md 8.3 selecting them.
#include "events/notification_builder.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <string_view>

#include "events/cloud_event_filter_input.h"
#include "events/cloud_event_json.h"
#include "events/route_filter.h"

namespace dtwin::events {
namespace {

constexpr std::string_view kSource = "contoso-adt.api.wus2.digitaltwins.azure.net";
// The time and traceparent of the documentation's lifecycle example.
constexpr std::string_view kTime = "2020-06-23T19:03:48.9700792Z";
constexpr std::string_view kTraceparent = "00-18f4e34b3e4a784aadf5913917537e7d-691a71e0a220d642-01";

boost::json::object Object(std::string_view json) { return boost::json::parse(json).as_object(); }
boost::json::array Array(std::string_view json) { return boost::json::parse(json).as_array(); }

// The event as a sink sends it (structured mode), parsed, so that key order does not matter.
boost::json::value Sent(const CloudEvent& event) {
  return boost::json::parse(StructuredCloudEventJson(event));
}

class NotificationBuilderTest : public ::testing::Test {
 protected:
  // Ids "id-1", "id-2", ... so a test sees which events drew one.
  NotificationContext Context(std::string_view id_prefix = "id-") {
    NotificationContext context;
    context.source = kSource;
    context.time = kTime;
    context.traceparent = kTraceparent;
    context.new_event_id = [this, prefix = std::string(id_prefix)] {
      return prefix + std::to_string(++ids_drawn_);
    };
    return context;
  }

  int ids_drawn_ = 0;
};

// The lifecycle example of concepts-event-notifications, with its own id.
TEST_F(NotificationBuilderTest, TwinCreatedIsTheDocumentedLifecycleExample) {
  NotificationContext context = Context();
  context.new_event_id = [] { return std::string("d047e992-dddc-4a5a-b0af-fa79832235f8"); };
  const boost::json::object twin =
      Object(R"({"$dtId":"floor1","$etag":"W/\"e398dbf4-8214-4483-9d52-880b61e491ec\"",)"
             R"("$metadata":{"$model":"dtmi:example:Floor;1"}})");

  EXPECT_EQ(Sent(TwinCreatedEvent(context, twin)), boost::json::parse(R"({
    "specversion": "1.0",
    "id": "d047e992-dddc-4a5a-b0af-fa79832235f8",
    "type": "Microsoft.DigitalTwins.Twin.Create",
    "source": "contoso-adt.api.wus2.digitaltwins.azure.net",
    "data": {
      "$dtId": "floor1",
      "$etag": "W/\"e398dbf4-8214-4483-9d52-880b61e491ec\"",
      "$metadata": {"$model": "dtmi:example:Floor;1"}
    },
    "subject": "floor1",
    "time": "2020-06-23T19:03:48.9700792Z",
    "datacontenttype": "application/json",
    "traceparent": "00-18f4e34b3e4a784aadf5913917537e7d-691a71e0a220d642-01"
  })"));
}

TEST_F(NotificationBuilderTest, TwinDeletedCarriesTheTwinBeforeDeletion) {
  const boost::json::object twin = Object(
      R"({"$dtId":"room 7","$etag":"W/\"1\"","temperature":21.5,"thermostat":{"$metadata":{}},)"
      R"("$metadata":{"$model":"dtmi:example:Room;1","temperature":{"lastUpdateTime":"2024-01-02T03:04:05.0000001Z"}}})");

  EXPECT_EQ(Sent(TwinDeletedEvent(Context(), twin)), boost::json::parse(R"({
    "specversion": "1.0", "id": "id-1", "type": "Microsoft.DigitalTwins.Twin.Delete",
    "source": "contoso-adt.api.wus2.digitaltwins.azure.net", "subject": "room 7",
    "time": "2020-06-23T19:03:48.9700792Z", "datacontenttype": "application/json",
    "traceparent": "00-18f4e34b3e4a784aadf5913917537e7d-691a71e0a220d642-01",
    "data": {"$dtId": "room 7", "$etag": "W/\"1\"", "temperature": 21.5,
             "thermostat": {"$metadata": {}},
             "$metadata": {"$model": "dtmi:example:Room;1",
                           "temperature": {"lastUpdateTime": "2024-01-02T03:04:05.0000001Z"}}}
  })"));
}

// The change notification body of concepts-event-notifications (a twin patch that also sets a
// component property, whose path carries the component).
TEST_F(NotificationBuilderTest, TwinUpdatedCarriesModelAndPatchAsGiven) {
  const boost::json::array patch = Array(R"([{"value":40,"path":"/Temperature","op":"replace"},)"
                                         R"({"value":30,"path":"/comp1/prop1","op":"add"}])");

  const CloudEvent event =
      TwinUpdatedEvent(Context(), "example-twin1", "dtmi:example:com:floor4;2", patch);

  EXPECT_EQ(Sent(event), boost::json::parse(R"({
    "specversion": "1.0", "id": "id-1", "type": "Microsoft.DigitalTwins.Twin.Update",
    "source": "contoso-adt.api.wus2.digitaltwins.azure.net", "subject": "example-twin1",
    "time": "2020-06-23T19:03:48.9700792Z", "datacontenttype": "application/json",
    "traceparent": "00-18f4e34b3e4a784aadf5913917537e7d-691a71e0a220d642-01",
    "data": {"modelId": "dtmi:example:com:floor4;2",
             "patch": [{"value": 40, "path": "/Temperature", "op": "replace"},
                       {"value": 30, "path": "/comp1/prop1", "op": "add"}]}
  })"));
  // Key order of the documented body, and the patch's operations in their order.
  EXPECT_EQ(event.data,
            R"({"modelId":"dtmi:example:com:floor4;2","patch":[{"value":40,"path":"/Temperature",)"
            R"("op":"replace"},{"value":30,"path":"/comp1/prop1","op":"add"}]})");
}

TEST_F(NotificationBuilderTest, TwinUpdatedWithARemoveAndAModelChange) {
  const boost::json::array patch =
      Array(R"([{"op":"replace","path":"/$metadata/$model","value":"dtmi:example:Room;2"},)"
            R"({"op":"remove","path":"/humidity"}])");

  const CloudEvent event = TwinUpdatedEvent(Context(), "room1", "dtmi:example:Room;2", patch);

  EXPECT_EQ(boost::json::parse(event.data), boost::json::parse(R"({
    "modelId": "dtmi:example:Room;2",
    "patch": [{"op": "replace", "path": "/$metadata/$model", "value": "dtmi:example:Room;2"},
              {"op": "remove", "path": "/humidity"}]
  })"));
}

// The create/delete relationship body of concepts-event-notifications, plus the $sourceId that
// GET returns and the subject is made of.
TEST_F(NotificationBuilderTest, RelationshipCreatedAndDeletedCarryTheRelationship) {
  const boost::json::object relationship = Object(
      R"({"$relationshipId":"device_to_device","$etag":"W/\"72479873-0083-41a8-83e2-caedb932d881\"",)"
      R"("$sourceId":"device1","$relationshipName":"Connected","$targetId":"device2",)"
      R"("connectionType":"WIFI"})");
  const boost::json::value expected_data = boost::json::parse(R"({
    "$relationshipId": "device_to_device",
    "$etag": "W/\"72479873-0083-41a8-83e2-caedb932d881\"",
    "$sourceId": "device1", "$relationshipName": "Connected", "$targetId": "device2",
    "connectionType": "WIFI"
  })");

  EXPECT_EQ(Sent(RelationshipCreatedEvent(Context(), relationship)), boost::json::parse(R"({
    "specversion": "1.0", "id": "id-1", "type": "Microsoft.DigitalTwins.Relationship.Create",
    "source": "contoso-adt.api.wus2.digitaltwins.azure.net",
    "subject": "device1/relationships/device_to_device",
    "time": "2020-06-23T19:03:48.9700792Z", "datacontenttype": "application/json",
    "traceparent": "00-18f4e34b3e4a784aadf5913917537e7d-691a71e0a220d642-01",
    "data": {"$relationshipId": "device_to_device",
             "$etag": "W/\"72479873-0083-41a8-83e2-caedb932d881\"", "$sourceId": "device1",
             "$relationshipName": "Connected", "$targetId": "device2", "connectionType": "WIFI"}
  })"));

  const CloudEvent deleted = RelationshipDeletedEvent(Context("del-"), relationship);
  EXPECT_EQ(deleted.type, "Microsoft.DigitalTwins.Relationship.Delete");
  EXPECT_EQ(deleted.id, "del-2");
  EXPECT_EQ(deleted.subject, "device1/relationships/device_to_device");
  EXPECT_EQ(boost::json::parse(deleted.data), expected_data);
}

// The update relationship body of concepts-event-notifications.
TEST_F(NotificationBuilderTest, RelationshipUpdatedCarriesModelAndPatch) {
  const boost::json::array patch =
      Array(R"([{"value":"user3","path":"/ownershipUser","op":"replace"}])");

  EXPECT_EQ(Sent(RelationshipUpdatedEvent(Context(), "floor1", "floor1-owns",
                                          "dtmi:example:Floor;1", patch)),
            boost::json::parse(R"({
    "specversion": "1.0", "id": "id-1", "type": "Microsoft.DigitalTwins.Relationship.Update",
    "source": "contoso-adt.api.wus2.digitaltwins.azure.net",
    "subject": "floor1/relationships/floor1-owns",
    "time": "2020-06-23T19:03:48.9700792Z", "datacontenttype": "application/json",
    "traceparent": "00-18f4e34b3e4a784aadf5913917537e7d-691a71e0a220d642-01",
    "data": {"modelId": "dtmi:example:Floor;1",
             "patch": [{"value": "user3", "path": "/ownershipUser", "op": "replace"}]}
  })"));
}

// The telemetry example of concepts-event-notifications: no subject, no time, source with the
// twin's path, id = the Message-Id, which is not drawn from the generator.
TEST_F(NotificationBuilderTest, TwinTelemetryIsTheDocumentedExample) {
  NotificationContext context = Context();
  context.traceparent = "00-7e3081c6d3edfb4eaf7d3244b2036baa-23d762f4d9f81741-01";

  const CloudEvent event = TelemetryEvent(context, "room1", "", "dtmi:example:com:floor4;2",
                                          "df5a5992-817b-4e8a-b12c-e0b18d4bf8fb",
                                          boost::json::parse(R"({"Temperature":10})"));

  EXPECT_EQ(Sent(event), boost::json::parse(R"({
    "specversion": "1.0",
    "id": "df5a5992-817b-4e8a-b12c-e0b18d4bf8fb",
    "type": "microsoft.iot.telemetry",
    "source": "contoso-adt.api.wus2.digitaltwins.azure.net/digitaltwins/room1",
    "data": {"Temperature": 10},
    "dataschema": "dtmi:example:com:floor4;2",
    "datacontenttype": "application/json",
    "traceparent": "00-7e3081c6d3edfb4eaf7d3244b2036baa-23d762f4d9f81741-01"
  })"));
  EXPECT_EQ(ids_drawn_, 0);
}

// how-to-create-routes: component telemetry's subject is the component path ("comp1.comp2"),
// its dataschema the component's model.
TEST_F(NotificationBuilderTest, ComponentTelemetryNamesTheComponent) {
  const CloudEvent event =
      TelemetryEvent(Context(), "thermostat-67", "thermostat", "dtmi:com:example:Thermostat;1",
                     "m-42", boost::json::parse(R"({"temperature":21.375,"unit":"C"})"));
  EXPECT_EQ(Sent(event), boost::json::parse(R"({
    "specversion": "1.0", "id": "m-42", "type": "microsoft.iot.telemetry",
    "source": "contoso-adt.api.wus2.digitaltwins.azure.net/digitaltwins/thermostat-67",
    "subject": "thermostat", "dataschema": "dtmi:com:example:Thermostat;1",
    "datacontenttype": "application/json",
    "traceparent": "00-18f4e34b3e4a784aadf5913917537e7d-691a71e0a220d642-01",
    "data": {"temperature": 21.375, "unit": "C"}
  })"));
  // Numbers as ADT writes them, not Boost.JSON's 2.1375E1.
  EXPECT_EQ(event.data, R"({"temperature":21.375,"unit":"C"})");

  const CloudEvent nested = TelemetryEvent(Context(), "device1", "comp1.comp2", "dtmi:example:C2;1",
                                           "m-43", boost::json::parse("{}"));
  EXPECT_EQ(nested.subject, "comp1.comp2");
  EXPECT_EQ(nested.data_schema, "dtmi:example:C2;1");
}

TEST_F(NotificationBuilderTest, EachNotificationDrawsItsOwnId) {
  NotificationContext context = Context();
  const boost::json::object twin = Object(R"({"$dtId":"a","$metadata":{"$model":"dtmi:a;1"}})");
  const CloudEvent first = TwinCreatedEvent(context, twin);
  const CloudEvent second = TwinUpdatedEvent(context, "a", "dtmi:a;1", Array("[]"));
  const CloudEvent third = TwinDeletedEvent(context, twin);
  EXPECT_EQ(first.id, "id-1");
  EXPECT_EQ(second.id, "id-2");
  EXPECT_EQ(third.id, "id-3");
  // Notifications carry the operation's time and trace; only data-less ones (none) lack data.
  for (const CloudEvent* event : {&first, &second, &third}) {
    EXPECT_EQ(event->time, kTime);
    EXPECT_EQ(event->traceparent, kTraceparent);
    EXPECT_EQ(event->data_content_type, "application/json");
    EXPECT_TRUE(event->data_schema.empty()) << "dataschema is for telemetry only";
  }
}

// --- traceparent --------------------------------------------------------------------------

const std::regex kTraceparentForm("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

struct Traceparts {
  std::string trace_id, parent_id, flags;
};

// The parts of a version-00 traceparent, which the text must be.
Traceparts Parts(const std::string& traceparent) {
  std::smatch match;
  if (!std::regex_match(traceparent, match, kTraceparentForm)) {
    ADD_FAILURE() << "not a version-00 traceparent: " << traceparent;
    return {};
  }
  return {match[1], match[2], match[3]};
}

TEST(TraceparentTest, NewTracesAreSampledAndDistinct) {
  std::mt19937_64 random(std::random_device{}());
  std::set<std::string> trace_ids, parent_ids;
  for (int i = 0; i < 100; ++i) {
    Traceparts parts = Parts(NewTraceparent(random));
    EXPECT_EQ(parts.flags, "01");
    EXPECT_NE(parts.trace_id, std::string(32, '0'));
    EXPECT_NE(parts.parent_id, std::string(16, '0'));
    trace_ids.insert(parts.trace_id);
    parent_ids.insert(parts.parent_id);
  }
  EXPECT_EQ(trace_ids.size(), 100u);
  EXPECT_EQ(parent_ids.size(), 100u);
}

TEST(TraceparentTest, ARequestsTraceIsContinuedWithANewSpan) {
  std::mt19937_64 random(7);
  // The example of the W3C recommendation, sampled and not sampled.
  for (std::string_view flags : {"01", "00"}) {
    const std::string incoming =
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-" + std::string(flags);
    Traceparts parts = Parts(OperationTraceparent(incoming, random));
    EXPECT_EQ(parts.trace_id, "0af7651916cd43dd8448eb211c80319c");
    EXPECT_EQ(parts.flags, flags);
    EXPECT_NE(parts.parent_id, "b7ad6b7169203331");
  }
  // A later version, with the fields it appends, is read as version 00 and rendered as such.
  Traceparts future = Parts(OperationTraceparent(
      "cc-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-what-the-future-will-be-like",
      random));
  EXPECT_EQ(future.trace_id, "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(future.flags, "01");
}

TEST(TraceparentTest, AnUnusableRequestTraceparentStartsANewTrace) {
  std::mt19937_64 random(11);
  const std::string_view kTraceId = "0af7651916cd43dd8448eb211c80319c";
  for (std::string_view bad : {
           "", "garbage",
           "00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01",    // upper case
           "00-00000000000000000000000000000000-b7ad6b7169203331-01",    // all-zero trace id
           "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",    // all-zero parent id
           "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",    // forbidden version
           "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-x",  // v00 is exactly 55
           "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01x",   // no dash after 55
           "00_0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",    // separator
           "00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333-01",     // short parent id
           "00-0af7651916cd43dd8448eb211c80319g-b7ad6b7169203331-01",    // not hex
           "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0z",    // flags not hex
       }) {
    Traceparts parts = Parts(OperationTraceparent(bad, random));
    EXPECT_NE(parts.trace_id, kTraceId) << bad;
    EXPECT_EQ(parts.flags, "01") << bad;
  }
  EXPECT_EQ(Parts(OperationTraceparent(std::nullopt, random)).flags, "01");
}

// --- route filters over built events --------------------------------------------------------

class NotificationRoutingTest : public NotificationBuilderTest {
 protected:
  void SetUp() override {
    NotificationContext context = Context();
    Add("floor create",
        TwinCreatedEvent(context, Object(R"({"$dtId":"floor1","$etag":"W/\"e\"",)"
                                         R"("$metadata":{"$model":"dtmi:example:com:floor;1"}})")));
    Add("room create",
        TwinCreatedEvent(context, Object(R"({"$dtId":"room1","$etag":"W/\"f\"",)"
                                         R"("$metadata":{"$model":"dtmi:example:com:room;1"}})")));
    Add("floor update",
        TwinUpdatedEvent(context, "floor1", "dtmi:example:com:floor4;2",
                         Array(R"([{"value":40,"path":"/Temperature","op":"replace"}])")));
    Add("room delete",
        TwinDeletedEvent(context, Object(R"({"$dtId":"room1","$etag":"W/\"g\"",)"
                                         R"("$metadata":{"$model":"dtmi:example:com:room;1"}})")));
    Add("relationship create",
        RelationshipCreatedEvent(context,
                                 Object(R"({"$relationshipId":"r1","$etag":"W/\"h\"",)"
                                        R"("$sourceId":"floor1","$relationshipName":"contains",)"
                                        R"("$targetId":"room1"})")));
    Add("relationship update",
        RelationshipUpdatedEvent(
            context, "floor1", "r1", "dtmi:example:com:floor;1",
            Array(R"([{"value":"user3","path":"/ownershipUser","op":"replace"}])")));
    Add("twin telemetry",
        TelemetryEvent(
            context, "room1", "", "dtmi:example:com:room;1", "m1",
            boost::json::parse(R"({"temperature":5.5,"errorCode":201,"poweredOn":true})")));
    Add("component telemetry",
        TelemetryEvent(context, "room1", "thermostat", "dtmi:example:com:thermostat;1", "m2",
                       boost::json::parse(R"({"temperature":22,"prop":null})")));
  }

  void Add(std::string name, CloudEvent event) {
    events_.emplace(std::move(name), std::move(event));
  }

  // The names of the events the filter selects.
  std::set<std::string> Selected(std::string_view filter_text) {
    Result<RouteFilter> filter = RouteFilter::Parse(filter_text);
    if (!filter.ok()) {
      ADD_FAILURE() << filter_text << ": " << filter.status().ToString();
      return {};
    }
    std::set<std::string> selected;
    for (const auto& [name, event] : events_) {
      const boost::json::value data = boost::json::parse(event.data);
      if (filter.value().Matches(CloudEventFilterInput(event, &data))) selected.insert(name);
    }
    return selected;
  }

  std::set<std::string> All() const {
    std::set<std::string> names;
    for (const auto& [name, event] : events_) names.insert(name);
    return names;
  }

  std::map<std::string, CloudEvent> events_;
};

TEST_F(NotificationRoutingTest, DocumentedFiltersSelectTheirEvents) {
  using Names = std::set<std::string>;
  EXPECT_EQ(Selected("true"), All());
  EXPECT_EQ(Selected("false"), Names{});
  EXPECT_EQ(Selected("type = 'Microsoft.DigitalTwins.Twin.Create'"),
            (Names{"floor create", "room create"}));
  EXPECT_EQ(
      Selected("type = 'Microsoft.DigitalTwins.Twin.Create' OR type = 'microsoft.iot.telemetry'"),
      (Names{"floor create", "room create", "twin telemetry", "component telemetry"}));
  EXPECT_EQ(Selected("(type != 'microsoft.iot.telemetry' OR datacontenttype = 'application/json') "
                     "OR (specversion != '1.0')"),
            All());
  // Create/delete carry the model at $metadata.$model, updates at modelId (how-to-create-routes).
  EXPECT_EQ(Selected("STARTS_WITH($body.$metadata.$model, 'dtmi:example:com:floor')"),
            (Names{"floor create"}));
  EXPECT_EQ(Selected("ENDS_WITH($body.$metadata.$model, 'room;1')"),
            (Names{"room create", "room delete"}));
  EXPECT_EQ(Selected("$body.modelId = 'dtmi:example:com:floor4;2'"), (Names{"floor update"}));
  EXPECT_EQ(Selected("CONTAINS(subject, 'room1')"), (Names{"room create", "room delete"}));
  EXPECT_EQ(Selected("STARTS_WITH(subject, 'floor1/relationships/')"),
            (Names{"relationship create", "relationship update"}));
  EXPECT_EQ(Selected("$body.errorCode > 200"), (Names{"twin telemetry"}));
  EXPECT_EQ(Selected("$body.temperature <= 5.5"), (Names{"twin telemetry"}));
  EXPECT_EQ(Selected("$body.poweredOn = true"), (Names{"twin telemetry"}));
  EXPECT_EQ(Selected("$body.prop != null"), Names{});
  EXPECT_EQ(Selected("$body.temperature != null"),
            (Names{"twin telemetry", "component telemetry"}));
}

TEST_F(NotificationRoutingTest, EnvelopeAttributesAreWhatTheDocsSay) {
  using Names = std::set<std::string>;
  const Names telemetry{"twin telemetry", "component telemetry"};
  Names notifications = All();
  for (const std::string& name : telemetry) notifications.erase(name);

  // Notifications come from the host; telemetry from the twin's path on it.
  EXPECT_EQ(Selected("source = 'contoso-adt.api.wus2.digitaltwins.azure.net'"), notifications);
  EXPECT_EQ(Selected("source = 'contoso-adt.api.wus2.digitaltwins.azure.net/digitaltwins/room1'"),
            telemetry);
  // dataschema only on telemetry: the twin's model, or the component's.
  EXPECT_EQ(Selected("dataschema = 'dtmi:example:com:room;1'"), (Names{"twin telemetry"}));
  EXPECT_EQ(Selected("dataschema = 'dtmi:example:com:thermostat;1'"),
            (Names{"component telemetry"}));
  // Component telemetry's subject is the component; twin telemetry has none, and no time.
  EXPECT_EQ(Selected("subject = 'thermostat'"), (Names{"component telemetry"}));
  Names with_subject = All();
  with_subject.erase("twin telemetry");
  EXPECT_EQ(Selected("subject != 'x'"), with_subject);
  EXPECT_EQ(Selected("time >= '2020'"), notifications);
  EXPECT_EQ(Selected("id = 'm2'"), (Names{"component telemetry"}));
  EXPECT_EQ(Selected("traceparent = '00-18f4e34b3e4a784aadf5913917537e7d-691a71e0a220d642-01'"),
            All());
  // The SDK samples' $eventType categories.
  EXPECT_EQ(Selected("$eventType = 'DigitalTwinTelemetryMessages'"), telemetry);
}

TEST(CloudEventFilterInputTest, EmptyAttributesAreAbsentAndDataIsTheGivenValue) {
  CloudEvent event;
  event.id = "1";
  event.source = "host";
  event.type = "t";
  event.data_content_type.clear();
  FilterInput input = CloudEventFilterInput(event, nullptr);
  EXPECT_EQ(input.id, "1");
  EXPECT_EQ(input.source, "host");
  EXPECT_EQ(input.type, "t");
  EXPECT_EQ(input.specversion, "1.0");
  EXPECT_FALSE(input.subject.has_value());
  EXPECT_FALSE(input.time.has_value());
  EXPECT_FALSE(input.dataschema.has_value());
  EXPECT_FALSE(input.datacontenttype.has_value());
  EXPECT_FALSE(input.traceparent.has_value());
  EXPECT_EQ(input.data, nullptr);
  EXPECT_FALSE(RouteFilter::Parse("$body = null").value().Matches(input));
}

}  // namespace
}  // namespace dtwin::events
