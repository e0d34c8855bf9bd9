// LaneSchedule (see lane_schedule.h). A key is either held (its entries wait in held_, and
// entries of it that arrive later join them) or not (its entries are in arrived_), never both,
// which is what keeps each key's order; within a batch, a released key's arrivals go behind its
// released entries.
#include "events/lane_schedule.h"

#include <algorithm>
#include <set>
#include <utility>

namespace dtwin::events {

void LaneSchedule::Add(PendingEntry entry) { arrived_.push_back(std::move(entry)); }

std::vector<PendingEntry> LaneSchedule::TakeBatch(size_t max_size, Clock::time_point now) {
  if (paused_until_) {
    if (now < *paused_until_) return {};
    paused_until_.reset();
  }
  std::vector<PendingEntry> due;
  std::set<std::string, std::less<>> due_keys;  // released from held_ by this batch
  for (auto key = held_.begin(); key != held_.end() && due.size() < max_size;) {
    std::deque<PendingEntry>& entries = key->second.entries;
    if (key->second.retry_at > now) {
      ++key;
      continue;
    }
    while (!entries.empty() && due.size() < max_size) {
      due.push_back(std::move(entries.front()));
      entries.pop_front();
    }
    // A key with entries left stays held (and due), so its later arrivals stay behind them.
    if (!entries.empty()) {
      ++key;
      continue;
    }
    due_keys.insert(key->first);
    key = held_.erase(key);
  }
  std::vector<PendingEntry> batch;
  while (!arrived_.empty() && batch.size() + due.size() < max_size) {
    PendingEntry entry = std::move(arrived_.front());
    arrived_.pop_front();
    auto key = held_.empty() ? held_.end() : held_.find(entry.entry.partition_key);
    if (key != held_.end()) {
      key->second.entries.push_back(std::move(entry));
    } else if (!due_keys.empty() && due_keys.contains(entry.entry.partition_key)) {
      due.push_back(std::move(entry));  // behind the key's released entries
    } else {
      batch.push_back(std::move(entry));
    }
  }
  batch.insert(batch.end(), std::make_move_iterator(due.begin()),
               std::make_move_iterator(due.end()));
  return batch;
}

void LaneSchedule::Requeue(const std::string& key, std::vector<PendingEntry> entries,
                           Clock::time_point retry_at) {
  if (entries.empty()) return;
  HeldKey& held = held_[key];
  held.entries.insert(held.entries.begin(), std::make_move_iterator(entries.begin()),
                      std::make_move_iterator(entries.end()));
  held.retry_at = retry_at;
}

bool LaneSchedule::Ready(Clock::time_point now) const {
  if (paused_until_ && now < *paused_until_) return false;
  if (!arrived_.empty()) return true;
  return std::any_of(held_.begin(), held_.end(),
                     [now](const auto& key) { return key.second.retry_at <= now; });
}

std::optional<LaneSchedule::Clock::time_point> LaneSchedule::NextWake() const {
  if (paused_until_) return paused_until_;
  std::optional<Clock::time_point> next;
  for (const auto& [key, held] : held_) {
    if (!next || held.retry_at < *next) next = held.retry_at;
  }
  return next;
}

}  // namespace dtwin::events
