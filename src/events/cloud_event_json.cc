// CloudEvents structured-mode JSON (see cloud_event_json.h). Stateless; thread-safe.
#include "events/cloud_event_json.h"

#include <boost/json/stream_parser.hpp>
#include <string_view>
#include <utility>

#include "common/json_reader.h"
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

// The attributes ParseStructuredCloudEvent reads into a CloudEvent, besides specversion.
constexpr std::pair<std::string_view, std::string CloudEvent::*> kStringAttributes[] = {
    {"id", &CloudEvent::id},
    {"source", &CloudEvent::source},
    {"type", &CloudEvent::type},
    {"subject", &CloudEvent::subject},
    {"time", &CloudEvent::time},
    {"datacontenttype", &CloudEvent::data_content_type},
    {"dataschema", &CloudEvent::data_schema},
    {"traceparent", &CloudEvent::traceparent}};

Status InvalidEvent(std::string_view what) {
  return Status(ErrorCode::kInvalidArgument, "structured CloudEvent: " + std::string(what));
}

// The text of the value that starts at `offset` in `json`: what a JSON parser consumes from
// there, without the whitespace after it. The document was validated before.
std::string RawValueAt(std::string_view json, size_t offset) {
  boost::json::stream_parser parser;
  boost::system::error_code error;
  size_t used = parser.write_some(json.data() + offset, json.size() - offset, error);
  std::string_view value = json.substr(offset, used);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\n' || value.back() == '\r' ||
                            value.back() == '\t')) {
    value.remove_suffix(1);
  }
  return std::string(value);
}

}  // namespace

Result<CloudEvent> ParseStructuredCloudEvent(std::string_view json) {
  JsonSourceMap source_map;
  Result<boost::json::value> document = ReadJson(json, {}, &source_map);
  if (!document.ok()) return InvalidEvent(document.status().message());
  const boost::json::object* object = document->if_object();
  if (object == nullptr) return InvalidEvent("not a JSON object");

  CloudEvent event;
  event.data_content_type.clear();  // left out means empty, as StructuredCloudEventJson writes it
  bool has_specversion = false;
  for (const auto& [name, value] : *object) {
    if (name == "data") {
      event.data = RawValueAt(json, source_map.OffsetOf("/data"));
      continue;
    }
    std::string* attribute = nullptr;
    for (const auto& [attribute_name, member] : kStringAttributes) {
      if (name == attribute_name) attribute = &(event.*member);
    }
    if (attribute == nullptr && name != "specversion") {
      std::string quoted;
      AppendJsonString(name, quoted);
      return InvalidEvent("member " + quoted + " is not an attribute dtwin events carry");
    }
    const boost::json::string* text = value.if_string();
    if (text == nullptr) return InvalidEvent(std::string(name) + " is not a string");
    if (attribute == nullptr) {
      if (*text != "1.0") return InvalidEvent("specversion must be \"1.0\"");
      has_specversion = true;
    } else {
      *attribute = std::string(*text);
    }
  }
  if (!has_specversion) return InvalidEvent("specversion is missing");
  for (auto [name, value] : {std::pair{"id", &event.id}, std::pair{"source", &event.source},
                             std::pair{"type", &event.type}}) {
    if (value->empty()) return InvalidEvent(std::string(name) + " is missing or empty");
  }
  return event;
}

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
