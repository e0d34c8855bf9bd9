// Renders a CloudEvent in CloudEvents 1.0 structured mode (application/cloudevents+json), the
// body every sink that carries whole events sends, and reads it back (the outbox stores events
// in this form). Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "events/event_sink.h"

namespace dtwin::events {

// The media type of StructuredCloudEventJson's output.
inline constexpr const char* kCloudEventsJsonContentType = "application/cloudevents+json";

// {"specversion":"1.0","id":...,"source":...,"type":...,"subject":...,"time":...,
//  "datacontenttype":...,"dataschema":...,"traceparent":...,"data":<data>}. Optional attributes
// (subject, time, datacontenttype, dataschema, traceparent) are left out when empty, as ADT
// leaves out time and dataschema where it has none. event.data is JSON text and is embedded as
// is (not re-parsed: it was produced by our own serializer), or left out when empty.
std::string StructuredCloudEventJson(const CloudEvent& event);

// The inverse of StructuredCloudEventJson: ParseStructuredCloudEvent(StructuredCloudEventJson(e))
// equals e, byte for byte (data is kept as the text it was, not re-serialized: numbers keep
// their spelling; only whitespace around it is dropped). An attribute left out comes back empty
// (datacontenttype too). kInvalidArgument, naming the attribute or the line and column, when the
// text is not JSON, specversion is not "1.0", id, source or type is missing or empty, an attribute
// is not a string, or a member is one CloudEvent cannot hold (an extension attribute, data_base64):
// dropping it silently would deliver a different event than the one committed.
Result<CloudEvent> ParseStructuredCloudEvent(std::string_view json);

}  // namespace dtwin::events
