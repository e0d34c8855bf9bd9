// Access log formatting.
#include "server/access_log.h"

#include <ctime>

namespace dtwin::server {

std::string AccessLog::Format(const AccessLogEntry& entry) {
  using std::chrono::duration_cast;
  auto since_epoch = duration_cast<std::chrono::milliseconds>(entry.start.time_since_epoch());
  std::time_t seconds = static_cast<std::time_t>(since_epoch.count() / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[96];
  std::snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(since_epoch.count() % 1000));

  std::string line = stamp;
  line += ' ';
  line += entry.method.empty() ? std::string_view("-") : entry.method;
  line += ' ';
  std::string_view path = entry.target.substr(0, entry.target.find('?'));
  if (path.empty()) path = "-";
  for (char c : path) {
    // Control characters could forge log lines; the path is otherwise printed as received.
    line += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  char tail[64];
  double millis = std::chrono::duration<double, std::milli>(entry.duration).count();
  std::snprintf(tail, sizeof(tail), " %d %.2fms %zuB\n", entry.status, millis, entry.body_bytes);
  line += tail;
  return line;
}

void AccessLog::Record(const AccessLogEntry& entry) const {
  std::string line = Format(entry);
  std::fwrite(line.data(), 1, line.size(), out_);
}

}  // namespace dtwin::server
