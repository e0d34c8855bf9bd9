// The route filter view of a CloudEvent (see cloud_event_filter_input.h). Stateless; thread-safe.
#include "events/cloud_event_filter_input.h"

#include <optional>
#include <string_view>

namespace dtwin::events {
namespace {

// An optional attribute: absent when the event leaves it out (empty).
std::optional<std::string_view> Optional(const std::string& attribute) {
  if (attribute.empty()) return std::nullopt;
  return attribute;
}

}  // namespace

FilterInput CloudEventFilterInput(const CloudEvent& event, const boost::json::value* data) {
  FilterInput input;
  input.type = event.type;
  input.source = event.source;
  input.id = event.id;
  input.specversion = "1.0";
  input.subject = Optional(event.subject);
  input.time = Optional(event.time);
  input.dataschema = Optional(event.data_schema);
  input.datacontenttype = Optional(event.data_content_type);
  input.traceparent = Optional(event.traceparent);
  input.data = data;
  return input;
}

}  // namespace dtwin::events
