// The store records of the event outbox and the dead letters: an OutboxEntry's delivery
// facts plus the event in CloudEvents structured form. Encoding and strict decoding (a
// record that does not decode is a corrupt store). Stateless functions; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "events/outbox_entry.h"

namespace dtwin::service {

// A notification that will not be delivered, as kept in the dead-letter table.
struct DeadLetterRecord {
  events::OutboxEntry entry;  // entry.seq is the dead letter's id (in dead-lettering order)
  std::string reason;
  std::chrono::system_clock::time_point dead_lettered_at;
  // The sequence number of the event's outbox row (its place in commit order), by which a
  // replay keeps each twin's order; 0 in records written before it existed, whose id is it.
  uint64_t event_seq = 0;
};

// {"key": partition key, "committedAt": "<ADT time>", "event": "<structured CloudEvent text>"}.
std::string EncodeOutboxRecord(const events::OutboxEntry& entry);
Result<events::OutboxEntry> DecodeOutboxRecord(uint64_t seq, std::string_view endpoint,
                                               std::string_view text);

// The outbox record plus "reason", "deadLetteredAt" and "eventSeq" (absent in older records:
// decoded as the dead letter's id, which was the event's sequence number then).
std::string EncodeDeadLetterRecord(const DeadLetterRecord& record);
Result<DeadLetterRecord> DecodeDeadLetterRecord(uint64_t seq, std::string_view endpoint,
                                                std::string_view text);

}  // namespace dtwin::service
