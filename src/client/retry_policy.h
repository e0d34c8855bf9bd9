// When the pipeline retries and how long it waits (RetryOptions in client_options.h):
// exponential backoff with full jitter, or what the server asked for on 429 and 503.
// Thread-safe (stateless apart from a per-thread random engine).
#pragma once

#include <chrono>
#include <optional>

#include "client/http_transport.h"
#include "dtwin/client/client_options.h"

namespace dtwin::client {

// 408, 429, 500, 502, 503 and 504: answers worth another attempt of an idempotent request.
bool IsRetriableStatus(int status);

// The wait a 429 or 503 asks for: retry-after-ms or x-ms-retry-after-ms (milliseconds), else
// Retry-After (seconds, or an HTTP-date compared with `now`). nullopt for other statuses and
// when no header parses.
std::optional<std::chrono::milliseconds> ServerRetryDelay(
    const HttpResponse& response, std::chrono::system_clock::time_point now);

// Full jitter: uniformly random in [0, min(retry_delay * 2^retry, max_retry_delay)], where
// retry counts from 0 for the first retry.
std::chrono::milliseconds BackoffDelay(const RetryOptions& options, int retry);

}  // namespace dtwin::client
