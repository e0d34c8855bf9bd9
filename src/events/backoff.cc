// Exponential backoff with equal jitter (see backoff.h). Not thread-safe: one per lane.
#include "events/backoff.h"

#include <algorithm>

namespace dtwin::events {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, uint64_t seed)
    : initial_(std::max(initial, std::chrono::milliseconds(0))),
      max_(std::max(max, initial_)),
      random_(seed) {}

std::chrono::milliseconds Backoff::Delay(uint32_t retry) {
  std::chrono::milliseconds nominal = initial_;
  // Doubling stops at max_, so the product never overflows however many retries there were.
  for (uint32_t i = 1; i < retry && nominal < max_; ++i) nominal = std::min(nominal * 2, max_);
  std::uniform_int_distribution<int64_t> jitter(nominal.count() - nominal.count() / 2,
                                                nominal.count());
  return std::chrono::milliseconds(jitter(random_));
}

}  // namespace dtwin::events
