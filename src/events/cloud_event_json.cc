// CloudEvents structured-mode JSON (see cloud_event_json.h). Stateless; thread-safe.
#include "events/cloud_event_json.h"

#include <string_view>

#include "common/json_writer.h"

namespace dtwin::events {
namespace {

// Appends ,"name":"value" (or "name":"value" first); skips an empty optional attribute.
void AppendAttribute(std::string_view name, std::string_view value, bool optional,
                     std::string& out) {
  if (optional && value.empty()) return;
  if (out.size() > 1) out += ',';
  AppendJsonString(name, out);
  out += ':';
  AppendJsonString(value, out);
}

}  // namespace

std::string StructuredCloudEventJson(const CloudEvent& event) {
  std::string out;
  out.reserve(192 + event.data.size());
  out += '{';
  AppendAttribute("specversion", "1.0", false, out);
  AppendAttribute("id", event.id, false, out);
  AppendAttribute("source", event.source, false, out);
  AppendAttribute("type", event.type, false, out);
  AppendAttribute("subject", event.subject, true, out);
  AppendAttribute("time", event.time, true, out);
  AppendAttribute("datacontenttype", event.data_content_type, true, out);
  AppendAttribute("dataschema", event.data_schema, true, out);
  AppendAttribute("traceparent", event.traceparent, true, out);
  if (!event.data.empty()) {
    out += ",\"data\":";
    out += event.data;
  }
  out += '}';
  return out;
}

}  // namespace dtwin::events
