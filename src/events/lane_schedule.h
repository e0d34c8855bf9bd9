// The order one delivery lane offers its entries in: commit order per partition key (twin),
// with a key whose event is to be retried held back, together with the key's later entries,
// until its retry time, while the other keys' entries go on. So a twin that a receiver keeps
// failing delays only that twin. Not thread-safe: one lane's thread owns it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "events/outbox_entry.h"

namespace dtwin::events {

// An entry on its way, with what its attempts so far left.
struct PendingEntry {
  OutboxEntry entry;
  std::chrono::system_clock::time_point expires_at;  // committed_at + the time-to-live
  uint32_t attempts = 0;
  std::string last_error;  // of the last attempt that is to be retried
};

class LaneSchedule {
 public:
  using Clock = std::chrono::steady_clock;

  // A newly queued entry, behind every entry added before it.
  void Add(PendingEntry entry);
  // The next batch, in an order that keeps each key's entries in commit order: first the
  // entries of held keys whose retry time has come, then entries in arrival order, at most
  // max_size in all. An entry of a key still held joins that key's held entries instead.
  std::vector<PendingEntry> TakeBatch(size_t max_size, Clock::time_point now);
  // Entries of one key from a batch just attempted, in their order, that are to go again
  // (from the first to retry on, or not attempted): they go ahead of the key's entries still
  // held or to come, at retry_at.
  void Requeue(const std::string& key, std::vector<PendingEntry> entries,
               Clock::time_point retry_at);

  // An entry is waiting that TakeBatch would return at `now`.
  bool Ready(Clock::time_point now) const;
  // The earliest retry time of a held key, if any.
  std::optional<Clock::time_point> NextRetry() const;

 private:
  struct HeldKey {
    std::deque<PendingEntry> entries;  // in commit order
    Clock::time_point retry_at;
  };

  std::deque<PendingEntry> arrived_;                  // not yet offered, in arrival order
  std::map<std::string, HeldKey, std::less<>> held_;  // by partition key
};

}  // namespace dtwin::events
