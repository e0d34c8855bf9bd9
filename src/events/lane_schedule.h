// The order one delivery lane offers its entries in: commit order per partition key (twin),
// with a key whose event is to be retried held back, together with the key's later entries,
// until its retry time, while the other keys' entries go on. So a twin that a receiver keeps
// failing delays only that twin. The whole lane can be paused too (a receiver that is down).
// Not thread-safe: one lane's thread owns it.
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
  // The next batch (none while paused), at most max_size entries, each key's in commit order:
  // entries in arrival order, then those of held keys whose retry time has come (taken first,
  // so that new arrivals cannot starve them; placed last, so that a twin failing again does not
  // stop a sink that gives up at its first failure before the others). An entry of a key still
  // held joins that key's held entries instead.
  std::vector<PendingEntry> TakeBatch(size_t max_size, Clock::time_point now);
  // Entries of one key from a batch just attempted, in their order, that are to go again
  // (from the first to retry on, or not attempted): they go ahead of the key's entries still
  // held or to come, at retry_at.
  void Requeue(const std::string& key, std::vector<PendingEntry> entries,
               Clock::time_point retry_at);

  // No batch before `until`.
  void PauseUntil(Clock::time_point until) { paused_until_ = until; }

  // An entry is waiting that TakeBatch would return at `now`.
  bool Ready(Clock::time_point now) const;
  // When a batch may next be ready without new arrivals: the end of a pause, else the
  // earliest retry time of a held key; none if nothing is held or paused.
  std::optional<Clock::time_point> NextWake() const;

 private:
  struct HeldKey {
    std::deque<PendingEntry> entries;  // in commit order
    Clock::time_point retry_at;
  };

  std::deque<PendingEntry> arrived_;                  // not yet offered, in arrival order
  std::map<std::string, HeldKey, std::less<>> held_;  // by partition key
  std::optional<Clock::time_point> paused_until_;
};

}  // namespace dtwin::events
