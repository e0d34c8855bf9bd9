// Renders a CloudEvent in CloudEvents 1.0 structured mode (application/cloudevents+json), the
// body every sink that carries whole events sends. Stateless; thread-safe.
#pragma once

#include <string>

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

}  // namespace dtwin::events
