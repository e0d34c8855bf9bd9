// ADT timestamp formatting and parsing with the C++20 civil calendar (no time zone database:
// every time is UTC, an offset is plain arithmetic).
#include "common/clock.h"

#include <cstdio>

namespace dtwin {

namespace {

using std::chrono::system_clock;

std::string Format(system_clock::time_point time, std::string_view zone) {
  const auto ticks = std::chrono::floor<AdtTicks>(time.time_since_epoch());
  const auto days = std::chrono::floor<std::chrono::days>(ticks);
  const std::chrono::year_month_day date{std::chrono::sys_days(days)};
  const std::chrono::hh_mm_ss<AdtTicks> clock(ticks - days);
  char buffer[48];
  const int length = std::snprintf(
      buffer, sizeof(buffer), "%04d-%02u-%02uT%02d:%02d:%02lld.%07lld",
      static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
      static_cast<unsigned>(date.day()), static_cast<int>(clock.hours().count()),
      static_cast<int>(clock.minutes().count()), static_cast<long long>(clock.seconds().count()),
      static_cast<long long>(clock.subseconds().count()));
  std::string out(buffer, static_cast<size_t>(length));
  out += zone;
  return out;
}

// Reads exactly count digits at text[pos] into value; false when they are not all digits.
bool ReadDigits(std::string_view text, size_t pos, size_t count, int& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

system_clock::time_point TruncateToAdtTicks(system_clock::time_point time) {
  return system_clock::time_point(std::chrono::floor<AdtTicks>(time.time_since_epoch()));
}

std::string FormatAdtTime(system_clock::time_point time) { return Format(time, "Z"); }

std::string FormatAdtTimeWithOffset(system_clock::time_point time) {
  return Format(time, "+00:00");
}

std::optional<system_clock::time_point> ParseAdtTime(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(text, 0, 4, year) || text.size() < 19 || text[4] != '-' ||
      !ReadDigits(text, 5, 2, month) || text[7] != '-' || !ReadDigits(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != 't') || !ReadDigits(text, 11, 2, hour) || text[13] != ':' ||
      !ReadDigits(text, 14, 2, minute) || text[16] != ':' || !ReadDigits(text, 17, 2, second)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  size_t pos = 19;
  int64_t fraction_ticks = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const size_t start = pos;
    int64_t scale = 1'000'000;  // the first fractional digit is 10^6 ticks
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      fraction_ticks += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  std::chrono::minutes offset{0};
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int offset_hours = 0, offset_minutes = 0;
    if (!ReadDigits(text, pos + 1, 2, offset_hours) || pos + 3 >= text.size() ||
        text[pos + 3] != ':' || !ReadDigits(text, pos + 4, 2, offset_minutes) ||
        offset_hours > 23 || offset_minutes > 59) {
      return std::nullopt;
    }
    offset = std::chrono::hours(offset_hours) + std::chrono::minutes(offset_minutes);
    if (text[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  const auto since_epoch = std::chrono::sys_days(date).time_since_epoch() +
                           std::chrono::hours(hour) + std::chrono::minutes(minute) +
                           std::chrono::seconds(second) + AdtTicks(fraction_ticks) - offset;
  return system_clock::time_point(std::chrono::duration_cast<system_clock::duration>(since_epoch));
}

}  // namespace dtwin
