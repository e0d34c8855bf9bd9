// Access log formatting.
#include "server/access_log.h"

#include <ctime>

namespace dtwin::server {

namespace {

// "2025-03-01T12:00:00.123Z " then "method path": what every line starts with. Control
// characters could forge log lines; the path is otherwise printed as received.
std::string LinePrefix(std::chrono::system_clock::time_point time, std::string_view kind,
                       std::string_view method, std::string_view target) {
  using std::chrono::duration_cast;
  auto since_epoch = duration_cast<std::chrono::milliseconds>(time.time_since_epoch());
  std::time_t seconds = static_cast<std::time_t>(since_epoch.count() / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[96];
  std::snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(since_epoch.count() % 1000));

  std::string line = stamp;
  line += ' ';
  if (!kind.empty()) {
    line += kind;
    line += ' ';
  }
  auto append_printable = [&line](std::string_view text) {
    if (text.empty()) text = "-";
    for (char c : text) line += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  };
  append_printable(method);
  line += ' ';
  append_printable(target.substr(0, target.find('?')));
  return line;
}

}  // namespace

std::string AccessLog::Format(const AccessLogEntry& entry) {
  std::string line = LinePrefix(entry.start, "", entry.method, entry.target);
  char tail[64];
  double millis = std::chrono::duration<double, std::milli>(entry.duration).count();
  std::snprintf(tail, sizeof(tail), " %d %.2fms %zuB\n", entry.status, millis, entry.body_bytes);
  line += tail;
  return line;
}

namespace {

constexpr auto kFlushInterval = std::chrono::milliseconds(200);
constexpr size_t kFlushBytes = 64 * 1024;

}  // namespace

AccessLog::AccessLog(std::FILE* out) : out_(out), flusher_([this] { FlushLoop(); }) {}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  flusher_.join();
  Flush();
}

std::string AccessLog::FormatAudit(const AuditEntry& entry) {
  return LinePrefix(entry.time, "audit", entry.method, entry.target) + " " +
         std::to_string(entry.status) + " caller=" + std::string(entry.caller) + "\n";
}

void AccessLog::Record(const AccessLogEntry& entry) { Append(Format(entry)); }

void AccessLog::RecordAudit(const AuditEntry& entry) { Append(FormatAudit(entry)); }

void AccessLog::RecordAuthFailure(std::chrono::system_clock::time_point time,
                                  std::string_view method, std::string_view target, int status,
                                  std::string_view reason) {
  Append(LinePrefix(time, "auth", method, target) + " " + std::to_string(status) + ": " +
         std::string(reason) + "\n");
}

void AccessLog::Append(const std::string& line) {
  bool full = false;
  {
    std::lock_guard lock(mu_);
    pending_ += line;
    full = pending_.size() >= kFlushBytes;
  }
  if (full) wake_.notify_one();
}

void AccessLog::Flush() {
  std::string lines;
  {
    std::lock_guard lock(mu_);
    lines.swap(pending_);
  }
  if (lines.empty()) return;
  std::fwrite(lines.data(), 1, lines.size(), out_);
  std::fflush(out_);
}

void AccessLog::FlushLoop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, kFlushInterval,
                   [this] { return stopping_ || pending_.size() >= kFlushBytes; });
    lock.unlock();
    Flush();
    lock.lock();
  }
}

}  // namespace dtwin::server
