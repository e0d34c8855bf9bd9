// Outbox and dead-letter records. The event is kept as a JSON string holding the structured
// CloudEvent text, not as a nested object: re-serializing a parsed object would respell its
// numbers, and what is delivered after a restart must be byte for byte what was committed.
#include "service/outbox_records.h"

#include <boost/json/parse.hpp>

#include "common/clock.h"
#include "common/json_writer.h"
#include "events/cloud_event_json.h"

namespace dtwin::service {

namespace json = boost::json;

namespace {

Status Corrupt(uint64_t seq, std::string_view what) {
  return Status(ErrorCode::kInternal, "the store is corrupt: outbox event " + std::to_string(seq) +
                                          " " + std::string(what));
}

void AppendOutboxMembers(const events::OutboxEntry& entry, std::string& out) {
  out += "{\"key\":";
  AppendJsonString(entry.partition_key, out);
  out += ",\"committedAt\":";
  AppendJsonString(FormatAdtTime(entry.committed_at), out);
  out += ",\"event\":";
  AppendJsonString(events::StructuredCloudEventJson(entry.event), out);
}

// The string member name of object, or nullptr.
const json::string* StringMember(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  return value != nullptr ? value->if_string() : nullptr;
}

Result<std::chrono::system_clock::time_point> TimeMember(uint64_t seq, const json::object& object,
                                                         std::string_view name) {
  const json::string* text = StringMember(object, name);
  std::optional<std::chrono::system_clock::time_point> time =
      text != nullptr ? ParseAdtTime(*text) : std::nullopt;
  if (!time) return Corrupt(seq, "has no valid \"" + std::string(name) + "\"");
  return *time;
}

Result<events::OutboxEntry> DecodeEntry(uint64_t seq, std::string_view endpoint,
                                        const json::object& object) {
  events::OutboxEntry entry;
  entry.seq = seq;
  entry.endpoint = endpoint;
  const json::string* key = StringMember(object, "key");
  if (key == nullptr) return Corrupt(seq, "has no \"key\"");
  entry.partition_key = *key;
  Result<std::chrono::system_clock::time_point> committed = TimeMember(seq, object, "committedAt");
  if (!committed.ok()) return committed.status();
  entry.committed_at = *committed;
  const json::string* event = StringMember(object, "event");
  if (event == nullptr) return Corrupt(seq, "has no \"event\"");
  Result<events::CloudEvent> parsed = events::ParseStructuredCloudEvent(*event);
  if (!parsed.ok()) return Corrupt(seq, "has a bad event: " + parsed.status().message());
  entry.event = std::move(parsed).value();
  return entry;
}

Result<json::object> ParseRecord(uint64_t seq, std::string_view text) {
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  if (error || !value.is_object()) return Corrupt(seq, "is not a JSON object");
  return std::move(value.get_object());
}

}  // namespace

std::string EncodeOutboxRecord(const events::OutboxEntry& entry) {
  std::string out;
  AppendOutboxMembers(entry, out);
  out += '}';
  return out;
}

Result<events::OutboxEntry> DecodeOutboxRecord(uint64_t seq, std::string_view endpoint,
                                               std::string_view text) {
  Result<json::object> object = ParseRecord(seq, text);
  if (!object.ok()) return object.status();
  return DecodeEntry(seq, endpoint, *object);
}

std::string EncodeDeadLetterRecord(const DeadLetterRecord& record) {
  std::string out;
  AppendOutboxMembers(record.entry, out);
  out += ",\"reason\":";
  AppendJsonString(record.reason, out);
  out += ",\"deadLetteredAt\":";
  AppendJsonString(FormatAdtTime(record.dead_lettered_at), out);
  out += ",\"eventSeq\":";
  out += std::to_string(record.event_seq);
  out += '}';
  return out;
}

Result<DeadLetterRecord> DecodeDeadLetterRecord(uint64_t seq, std::string_view endpoint,
                                                std::string_view text) {
  Result<json::object> object = ParseRecord(seq, text);
  if (!object.ok()) return object.status();
  Result<events::OutboxEntry> entry = DecodeEntry(seq, endpoint, *object);
  if (!entry.ok()) return entry.status();
  const json::string* reason = StringMember(*object, "reason");
  if (reason == nullptr) return Corrupt(seq, "has no \"reason\"");
  Result<std::chrono::system_clock::time_point> when = TimeMember(seq, *object, "deadLetteredAt");
  if (!when.ok()) return when.status();
  uint64_t event_seq = seq;
  if (const json::value* member = object->if_contains("eventSeq")) {
    const uint64_t* number = member->if_uint64();
    const int64_t* signed_number = member->if_int64();
    if (number != nullptr) {
      event_seq = *number;
    } else if (signed_number != nullptr && *signed_number > 0) {
      event_seq = static_cast<uint64_t>(*signed_number);
    } else {
      return Corrupt(seq, "has a bad \"eventSeq\"");
    }
  }
  return DeadLetterRecord{std::move(entry).value(), std::string(*reason), *when, event_seq};
}

}  // namespace dtwin::service
