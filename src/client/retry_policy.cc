// Retry decisions and delays (see retry_policy.h).
#include "client/retry_policy.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <random>
#include <string>

namespace dtwin::client {
namespace {

std::optional<long long> ParseNonNegative(std::string_view text) {
  long long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

bool IsRetriableStatus(int status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 ||
         status == 504;
}

std::optional<std::chrono::milliseconds> ServerRetryDelay(
    const HttpResponse& response, std::chrono::system_clock::time_point now) {
  if (response.status != 429 && response.status != 503) return std::nullopt;
  for (const char* name : {"retry-after-ms", "x-ms-retry-after-ms"}) {
    if (auto header = response.Header(name)) {
      if (auto ms = ParseNonNegative(*header)) return std::chrono::milliseconds(*ms);
    }
  }
  auto header = response.Header("Retry-After");
  if (!header) return std::nullopt;
  if (auto seconds = ParseNonNegative(*header)) return std::chrono::seconds(*seconds);
  time_t when = curl_getdate(std::string(*header).c_str(), nullptr);  // an HTTP-date
  if (when < 0) return std::nullopt;
  auto delay = std::chrono::system_clock::from_time_t(when) - now;
  return std::max(std::chrono::milliseconds::zero(),
                  std::chrono::ceil<std::chrono::milliseconds>(delay));
}

std::chrono::milliseconds BackoffDelay(const RetryOptions& options, int retry) {
  auto cap = options.max_retry_delay;
  auto delay = options.retry_delay;
  for (int i = 0; i < retry && delay < cap; ++i) delay *= 2;
  delay = std::min(delay, cap);
  if (delay <= std::chrono::milliseconds::zero()) return std::chrono::milliseconds::zero();
  thread_local std::mt19937_64 engine{std::random_device{}()};
  std::uniform_int_distribution<long long> jitter(0, delay.count());
  return std::chrono::milliseconds(jitter(engine));
}

}  // namespace dtwin::client
