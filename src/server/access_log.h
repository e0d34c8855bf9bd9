// One line per request on a stdio stream (stderr for `dtwin serve`):
//   2025-03-01T12:00:00.123Z GET /digitaltwins/room1 200 0.41ms 512B
// The query string is left out (it may carry continuation tokens). Each line is one
// fwrite, which stdio locks, so lines from many threads never interleave. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace dtwin::server {

struct AccessLogEntry {
  std::chrono::system_clock::time_point start;
  std::string_view method;
  std::string_view target;  // the query part is dropped when logged
  int status = 0;
  std::chrono::steady_clock::duration duration{};
  size_t body_bytes = 0;
};

class AccessLog {
 public:
  explicit AccessLog(std::FILE* out) : out_(out) {}

  void Record(const AccessLogEntry& entry) const;

  // The line Record writes, with its trailing newline.
  static std::string Format(const AccessLogEntry& entry);

 private:
  std::FILE* out_;  // not owned
};

}  // namespace dtwin::server
