// Builds the notifications ADT emits (reference/adt-api.md 8.1, 8.2) as CloudEvents: twin and
// relationship lifecycle and change events, and telemetry messages. Pure functions; thread-safe
// (the traceparent helpers use only the random engine the caller passes).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "events/event_sink.h"

namespace dtwin::events {

// The event types, spelled as ADT spells them (telemetry in lower case).
inline constexpr std::string_view kTwinCreateType = "Microsoft.DigitalTwins.Twin.Create";
inline constexpr std::string_view kTwinUpdateType = "Microsoft.DigitalTwins.Twin.Update";
inline constexpr std::string_view kTwinDeleteType = "Microsoft.DigitalTwins.Twin.Delete";
inline constexpr std::string_view kRelationshipCreateType =
    "Microsoft.DigitalTwins.Relationship.Create";
inline constexpr std::string_view kRelationshipUpdateType =
    "Microsoft.DigitalTwins.Relationship.Update";
inline constexpr std::string_view kRelationshipDeleteType =
    "Microsoft.DigitalTwins.Relationship.Delete";
inline constexpr std::string_view kTelemetryType = "microsoft.iot.telemetry";

// What every event of one API operation shares.
struct NotificationContext {
  // The instance host name, e.g. "contoso-adt.api.wus2.digitaltwins.azure.net".
  std::string source;
  // When the operation happened, as FormatAdtTime renders it ("2020-06-23T19:03:48.9700792Z").
  std::string time;
  // The operation's W3C trace context (OperationTraceparent).
  std::string traceparent;
  // A fresh event id per call, unique for this source (ADT uses UUIDs). Not called for
  // telemetry, whose id is the request's Message-Id.
  std::function<std::string()> new_event_id;
};

// Twin.Create: data = the twin document as GET returns it after creation; subject = its $dtId.
CloudEvent TwinCreatedEvent(const NotificationContext& context, const boost::json::object& twin);

// Twin.Delete: data = the twin document as it was before deletion; subject = its $dtId.
CloudEvent TwinDeletedEvent(const NotificationContext& context, const boost::json::object& twin);

// Twin.Update: data = {"modelId": model_id, "patch": patch}, with patch the JSON Patch as applied
// (a component patch's paths prefixed with the component, "/comp1/prop1"); model_id is the
// twin's model after the patch.
CloudEvent TwinUpdatedEvent(const NotificationContext& context, std::string_view twin_id,
                            std::string_view model_id, const boost::json::array& patch);

// Relationship.Create: data = the relationship as GET returns it; subject =
// "<$sourceId>/relationships/<$relationshipId>" read from it.
CloudEvent RelationshipCreatedEvent(const NotificationContext& context,
                                    const boost::json::object& relationship);

// Relationship.Delete: data = the relationship as it was before deletion; subject as Create.
CloudEvent RelationshipDeletedEvent(const NotificationContext& context,
                                    const boost::json::object& relationship);

// Relationship.Update: data = {"modelId": model_id, "patch": patch}, the same form as
// Twin.Update (the documented example); subject = "<source_id>/relationships/<relationship_id>".
CloudEvent RelationshipUpdatedEvent(const NotificationContext& context, std::string_view source_id,
                                    std::string_view relationship_id, std::string_view model_id,
                                    const boost::json::array& patch);

// microsoft.iot.telemetry, as ADT's documented example: id = message_id (the request's
// Message-Id); source = "<context.source>/digitaltwins/<twin_id>"; subject = component_path
// ("comp1.comp2") for component telemetry, none for twin telemetry (empty component_path);
// dataschema = model_id, the model of the twin or of the component; data = payload; no time.
CloudEvent TelemetryEvent(const NotificationContext& context, std::string_view twin_id,
                          std::string_view component_path, std::string_view model_id,
                          std::string_view message_id, const boost::json::value& payload);

// A new sampled trace, "00-<32 hex trace id>-<16 hex parent id>-01" (lower case, ids never all
// zero), for an operation whose request carried no usable traceparent.
std::string NewTraceparent(std::mt19937_64& random);

// The traceparent of an operation: when request_traceparent is a valid W3C traceparent, its
// trace continued (same trace id and flags; a new parent id, this operation's span, rendered
// as version 00); otherwise (absent, malformed, upper case, all-zero ids, version ff) a new
// trace, as the W3C recommendation says a receiver must restart an unparsable one.
std::string OperationTraceparent(std::optional<std::string_view> request_traceparent,
                                 std::mt19937_64& random);

}  // namespace dtwin::events
