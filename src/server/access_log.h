// One line per request on a stdio stream (stderr for `dtwin serve`):
//   2025-03-01T12:00:00.123Z GET /digitaltwins/room1 200 0.41ms 512B
// plus, from the API layer, an audit line per write and a line per refused credential:
//   2025-03-01T12:00:00.123Z audit PUT /digitaltwins/room1 200 caller=client:app1
//   2025-03-01T12:00:00.123Z auth GET /models 401: token expired at ...
// The query string is left out (it may carry continuation tokens); no token or secret is
// ever logged. Lines are gathered in a
// buffer and written by a flusher thread at most every 200 ms (or when 64 KB are pending):
// one write per line would cost a system call per request under load. Lines never
// interleave; everything is written by the destructor at the latest. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace dtwin::server {

// An audited write: who changed what, with which outcome.
struct AuditEntry {
  std::chrono::system_clock::time_point time;
  std::string_view method;
  std::string_view target;  // the query part is dropped when logged
  int status = 0;
  std::string_view caller;  // "client:<id>", "oid:<id>" or "anonymous"
};

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
  explicit AccessLog(std::FILE* out);
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void Record(const AccessLogEntry& entry);
  void RecordAudit(const AuditEntry& entry);
  // "<time> auth <method> <path> <status>: <reason>": why a request was refused. reason must
  // hold no credential (the validators' messages never quote a token).
  void RecordAuthFailure(std::chrono::system_clock::time_point time, std::string_view method,
                         std::string_view target, int status, std::string_view reason);

  // Writes every pending line now.
  void Flush();

  // The line Record writes, with its trailing newline.
  static std::string Format(const AccessLogEntry& entry);
  static std::string FormatAudit(const AuditEntry& entry);

 private:
  void Append(const std::string& line);
  void FlushLoop();

  std::FILE* out_;  // not owned; immutable after construction

  std::mutex mu_;
  std::condition_variable wake_;
  std::string pending_;    // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  std::thread flusher_;
};

}  // namespace dtwin::server
