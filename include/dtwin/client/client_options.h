// How a DigitalTwinsClient talks to the service: api-version, retries, TLS and timeouts, and
// a logging hook. Plain values, copied into the client at construction.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace dtwin::client {

// Retries with exponential backoff and full jitter: attempt n waits a random time up to
// min(retry_delay * 2^n, max_retry_delay), or what Retry-After / retry-after-ms says on 429
// and 503. Only idempotent operations (GET, PUT, DELETE, and POST /query) are retried after
// an answer; any operation is retried when the connection failed before the request was sent.
struct RetryOptions {
  int max_retries = 3;
  std::chrono::milliseconds retry_delay{800};
  std::chrono::milliseconds max_retry_delay{60000};
};

struct TransportOptions {
  std::string ca_file;     // PEM bundle to trust instead of the system's; empty = system
  bool verify_tls = true;  // false only for throwaway test setups
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds request_timeout{100000};  // one attempt, headers to last byte
};

// One attempt, for the logging hook. Never carries the Authorization header or bodies.
struct HttpLogEntry {
  std::string method;
  std::string url;
  int status = 0;  // 0: no answer (error says why)
  int attempt = 1;
  std::chrono::microseconds elapsed{0};
  std::string request_id;  // x-ms-client-request-id sent
  std::string error;
};

struct DigitalTwinsClientOptions {
  std::string api_version = "2023-10-31";
  RetryOptions retry;
  TransportOptions transport;
  // Appended to the User-Agent ("azsdk-cpp-dtwin/<version> <application_id> (<os>)").
  std::string application_id;
  // Called after every attempt, on the calling thread; must not throw.
  std::function<void(const HttpLogEntry&)> log;
};

}  // namespace dtwin::client
