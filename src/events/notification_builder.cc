// ADT's notifications as CloudEvents (see notification_builder.h). Stateless; thread-safe.
#include "events/notification_builder.h"

#include <cassert>
#include <cstdint>

#include "common/json_writer.h"

namespace dtwin::events {
namespace {

// W3C trace context, version 00: "vv-<32 hex>-<16 hex>-ff", 55 characters.
constexpr size_t kTraceparentLength = 55;
constexpr size_t kTraceIdOffset = 3;
constexpr size_t kTraceIdLength = 32;
constexpr size_t kParentIdOffset = 36;
constexpr size_t kParentIdLength = 16;
constexpr size_t kFlagsOffset = 53;

// A string member of a stored document ("$dtId", "$sourceId", ...): present in every document
// the service passes, so its absence is a programmer error.
std::string_view StringMember(const boost::json::object& document, std::string_view key) {
  const boost::json::value* member = document.if_contains(key);
  assert(member != nullptr && member->is_string());
  if (member == nullptr || !member->is_string()) return {};
  return member->get_string();
}

CloudEvent Notification(const NotificationContext& context, std::string_view type,
                        std::string subject, std::string data) {
  CloudEvent event;
  event.id = context.new_event_id();
  event.source = context.source;
  event.type = type;
  event.subject = std::move(subject);
  event.time = context.time;
  event.traceparent = context.traceparent;
  event.data = std::move(data);
  return event;
}

std::string RelationshipSubject(std::string_view source_id, std::string_view relationship_id) {
  std::string subject;
  subject.reserve(source_id.size() + 15 + relationship_id.size());
  subject += source_id;
  subject += "/relationships/";
  subject += relationship_id;
  return subject;
}

std::string RelationshipSubject(const boost::json::object& relationship) {
  return RelationshipSubject(StringMember(relationship, "$sourceId"),
                             StringMember(relationship, "$relationshipId"));
}

// {"modelId":...,"patch":[...]}, the data of Twin.Update and Relationship.Update, in the key
// order of ADT's examples.
std::string ChangeData(std::string_view model_id, const boost::json::array& patch) {
  std::string data = "{\"modelId\":";
  AppendJsonString(model_id, data);
  data += ",\"patch\":";
  AppendJson(patch, data);
  data += '}';
  return data;
}

// digits lower-case hex digits of random bits, never all zero (W3C forbids all-zero ids).
std::string RandomHex(size_t digits, std::mt19937_64& random) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  do {
    out.clear();
    while (out.size() < digits) {
      uint64_t bits = random();
      for (int nibble = 0; nibble < 16 && out.size() < digits; ++nibble, bits >>= 4) {
        out += kHex[bits & 0xf];
      }
    }
  } while (out.find_first_not_of('0') == std::string::npos);
  return out;
}

bool IsLowerHex(std::string_view text) {
  return text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// Lower-case hex, not all zeros.
bool IsTraceId(std::string_view text) {
  return IsLowerHex(text) && text.find_first_not_of('0') != std::string_view::npos;
}

// Whether text parses as a traceparent by the W3C rules: version 00 is exactly 55 characters;
// a later version (not ff) may append "-<more>" that a version-00 reader ignores.
bool IsValidTraceparent(std::string_view text) {
  if (text.size() < kTraceparentLength) return false;
  std::string_view version = text.substr(0, 2);
  if (!IsLowerHex(version) || version == "ff") return false;
  if (version == "00" ? text.size() != kTraceparentLength
                      : text.size() > kTraceparentLength && text[kTraceparentLength] != '-') {
    return false;
  }
  return text[2] == '-' && text[kParentIdOffset - 1] == '-' && text[kFlagsOffset - 1] == '-' &&
         IsTraceId(text.substr(kTraceIdOffset, kTraceIdLength)) &&
         IsTraceId(text.substr(kParentIdOffset, kParentIdLength)) &&
         IsLowerHex(text.substr(kFlagsOffset, 2));
}

std::string Traceparent(std::string_view trace_id, std::string_view parent_id,
                        std::string_view flags) {
  std::string out;
  out.reserve(kTraceparentLength);
  out += "00-";
  out += trace_id;
  out += '-';
  out += parent_id;
  out += '-';
  out += flags;
  return out;
}

}  // namespace

CloudEvent TwinCreatedEvent(const NotificationContext& context, const boost::json::object& twin) {
  return Notification(context, kTwinCreateType, std::string(StringMember(twin, "$dtId")),
                      WriteJson(twin));
}

CloudEvent TwinDeletedEvent(const NotificationContext& context, const boost::json::object& twin) {
  return Notification(context, kTwinDeleteType, std::string(StringMember(twin, "$dtId")),
                      WriteJson(twin));
}

CloudEvent TwinUpdatedEvent(const NotificationContext& context, std::string_view twin_id,
                            std::string_view model_id, const boost::json::array& patch) {
  return Notification(context, kTwinUpdateType, std::string(twin_id), ChangeData(model_id, patch));
}

CloudEvent RelationshipCreatedEvent(const NotificationContext& context,
                                    const boost::json::object& relationship) {
  return Notification(context, kRelationshipCreateType, RelationshipSubject(relationship),
                      WriteJson(relationship));
}

CloudEvent RelationshipDeletedEvent(const NotificationContext& context,
                                    const boost::json::object& relationship) {
  return Notification(context, kRelationshipDeleteType, RelationshipSubject(relationship),
                      WriteJson(relationship));
}

CloudEvent RelationshipUpdatedEvent(const NotificationContext& context, std::string_view source_id,
                                    std::string_view relationship_id, std::string_view model_id,
                                    const boost::json::array& patch) {
  return Notification(context, kRelationshipUpdateType,
                      RelationshipSubject(source_id, relationship_id), ChangeData(model_id, patch));
}

CloudEvent TelemetryEvent(const NotificationContext& context, std::string_view twin_id,
                          std::string_view component_path, std::string_view model_id,
                          std::string_view message_id, const boost::json::value& payload) {
  CloudEvent event;
  event.id = message_id;
  event.source = context.source;
  event.source += "/digitaltwins/";
  event.source += twin_id;
  event.type = kTelemetryType;
  event.subject = component_path;
  event.data_schema = model_id;
  event.traceparent = context.traceparent;
  event.data = WriteJson(payload);
  return event;
}

std::string NewTraceparent(std::mt19937_64& random) {
  return Traceparent(RandomHex(kTraceIdLength, random), RandomHex(kParentIdLength, random), "01");
}

std::string OperationTraceparent(std::optional<std::string_view> request_traceparent,
                                 std::mt19937_64& random) {
  if (!request_traceparent || !IsValidTraceparent(*request_traceparent)) {
    return NewTraceparent(random);
  }
  return Traceparent(request_traceparent->substr(kTraceIdOffset, kTraceIdLength),
                     RandomHex(kParentIdLength, random),
                     request_traceparent->substr(kFlagsOffset, 2));
}

}  // namespace dtwin::events
