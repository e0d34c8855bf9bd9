// Token buckets.
#include "server/rate_limiter.h"

#include <algorithm>

namespace dtwin::server {

RateLimiter::RateLimiter(double rate_per_second, size_t max_keys)
    : rate_(rate_per_second), burst_(std::max(1.0, rate_per_second)), max_keys_(max_keys) {}

void RateLimiter::Refill(Bucket& bucket, Clock::time_point now) const {
  const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
  if (elapsed > 0) {
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed * rate_);
    bucket.updated = now;
  }
}

void RateLimiter::DropFullBuckets(Clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    Refill(it->second, now);
    it = it->second.tokens >= burst_ ? buckets_.erase(it) : std::next(it);
  }
}

RateLimiter::Clock::duration RateLimiter::Acquire(std::string_view key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) DropFullBuckets(now);
    // When every bucket is active the map grows past max_keys_ rather than hand a caller
    // a fresh burst by forgetting its bucket.
    it = buckets_.emplace(std::string(key), Bucket{burst_, now}).first;
  }
  Bucket& bucket = it->second;
  Refill(bucket, now);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return Clock::duration::zero();
  }
  const double wait_seconds = (1 - bucket.tokens) / rate_;
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wait_seconds));
}

}  // namespace dtwin::server
