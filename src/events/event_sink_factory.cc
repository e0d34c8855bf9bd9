// The sink factory (see event_sink_factory.h). Stateless; thread-safe.
#include "events/event_sink_factory.h"

#include <cctype>
#include <utility>

#include "events/mqtt_sink.h"
#include "events/nats_sink.h"
#include "events/webhook_sink.h"

namespace dtwin::events {
namespace {

struct SchemeKind {
  std::string_view scheme;
  std::string_view kind;
};
constexpr SchemeKind kSchemes[] = {{"http", "webhook"},
                                   {"https", "webhook"},
                                   {"mqtt", "mqtt"},
                                   {"mqtts", "mqtt"},
                                   {"nats", "nats"}};

// The scheme in lower case: RFC 3986 schemes are case-insensitive, and the sinks' own parsers
// are not all. "" when the URL does not start with "scheme://" (RFC 3986 syntax), so that what
// comes back is never part of a password.
std::string LowerScheme(std::string_view url) {
  size_t end = url.find("://");
  if (end == std::string_view::npos || end == 0 ||
      !std::isalpha(static_cast<unsigned char>(url[0]))) {
    return "";
  }
  std::string scheme(url.substr(0, end));
  for (char& c : scheme) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (!std::isalnum(byte) && c != '+' && c != '-' && c != '.') return "";
    c = static_cast<char>(std::tolower(byte));
  }
  return scheme;
}

}  // namespace

std::string_view EndpointKind(std::string_view url) {
  std::string scheme = LowerScheme(url);
  for (const SchemeKind& entry : kSchemes) {
    if (entry.scheme == scheme) return entry.kind;
  }
  return "";
}

Result<std::unique_ptr<EventSink>> MakeEventSink(const std::string& url) {
  std::string scheme = LowerScheme(url);
  std::string_view kind = EndpointKind(url);
  if (kind.empty()) {
    // The scheme alone is shown: the rest of the URL may hold a password.
    return Status(
        ErrorCode::kInvalidArgument,
        "endpoint URL: " +
            (scheme.empty() ? std::string("no scheme://") : "unknown scheme '" + scheme + "'") +
            " (known: http://, https:// webhooks; mqtt://, mqtts:// MQTT brokers; "
            "nats:// NATS JetStream)");
  }
  std::string normalized = scheme + url.substr(scheme.size());
  if (kind == "webhook") return MakeWebhookSink(normalized);
  if (kind == "mqtt") return MakeMqttSink(normalized);
  return MakeNatsSink(normalized);
}

Status CheckEndpointUrl(std::string_view url) {
  Result<std::unique_ptr<EventSink>> sink = MakeEventSink(std::string(url));
  return sink.ok() ? Status::Ok() : std::move(sink).status();
}

}  // namespace dtwin::events
