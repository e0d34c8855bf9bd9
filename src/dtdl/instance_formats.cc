// Hand-written scanners for the DTDL temporal formats. The accepted sets are those of the
// reference parser (DTDLParser DTDateInfo/DTTimeInfo/DTDateTimeInfo/DTDurationInfo: a regex
// plus, for dates and times, .NET DateTime parsing, which rejects impossible field values).
#include "dtdl/instance_formats.h"

#include <cstddef>

namespace dtwin::dtdl {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `count` digits at text[pos...] into *value.
bool ReadDigits(std::string_view text, size_t pos, size_t count, int* value) {
  if (pos + count > text.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (!IsDigit(text[i])) return false;
    v = v * 10 + (text[i] - '0');
  }
  *value = v;
  return true;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// "YYYY-MM-DD" at the start of text (exactly 10 characters consumed).
bool ScanDate(std::string_view text) {
  int year = 0;
  int month = 0;
  int day = 0;
  if (!ReadDigits(text, 0, 4, &year) || text.size() < 10 || text[4] != '-' ||
      !ReadDigits(text, 5, 2, &month) || text[7] != '-' || !ReadDigits(text, 8, 2, &day)) {
    return false;
  }
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= DaysInMonth(year, month);
}

// "hh:mm:ss[.f+](Z|(+|-)hh:mm)" filling all of text.
bool ScanTimeWithOffset(std::string_view text) {
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!ReadDigits(text, 0, 2, &hour) || text.size() < 8 || text[2] != ':' ||
      !ReadDigits(text, 3, 2, &minute) || text[5] != ':' || !ReadDigits(text, 6, 2, &second)) {
    return false;
  }
  if (hour > 23 || minute > 59 || second > 59) return false;
  size_t pos = 8;
  if (pos < text.size() && text[pos] == '.') {
    size_t digits_begin = ++pos;
    while (pos < text.size() && IsDigit(text[pos])) ++pos;
    if (pos == digits_begin) return false;
  }
  if (pos >= text.size()) return false;  // the offset is mandatory
  if (text[pos] == 'Z') return pos + 1 == text.size();
  if (text[pos] != '+' && text[pos] != '-') return false;
  int offset_hour = 0;
  int offset_minute = 0;
  return text.size() == pos + 6 && ReadDigits(text, pos + 1, 2, &offset_hour) &&
         text[pos + 3] == ':' && ReadDigits(text, pos + 4, 2, &offset_minute) &&
         offset_hour <= 23 && offset_minute <= 59;
}

// One duration component at text[*pos]: digits, optional ".digits", then a designator
// letter, returned in *designator. *fraction tells whether it had a fractional part.
bool ScanDurationComponent(std::string_view text, size_t* pos, char* designator, bool* fraction) {
  size_t p = *pos;
  size_t begin = p;
  while (p < text.size() && IsDigit(text[p])) ++p;
  if (p == begin) return false;
  *fraction = false;
  if (p < text.size() && text[p] == '.') {
    size_t fraction_begin = ++p;
    while (p < text.size() && IsDigit(text[p])) ++p;
    if (p == fraction_begin) return false;
    *fraction = true;
  }
  if (p >= text.size()) return false;
  *designator = text[p];
  *pos = p + 1;
  return true;
}

// Rank of a date-part designator: Y < M < W < D; -1 when not one.
int DateRank(char designator) {
  switch (designator) {
    case 'Y':
      return 0;
    case 'M':
      return 1;
    case 'W':
      return 2;
    case 'D':
      return 3;
    default:
      return -1;
  }
}

// Rank of a time-part designator: H < M < S; -1 when not one.
int TimeRank(char designator) {
  switch (designator) {
    case 'H':
      return 0;
    case 'M':
      return 1;
    case 'S':
      return 2;
    default:
      return -1;
  }
}

}  // namespace

bool IsDtdlDate(std::string_view text) { return text.size() == 10 && ScanDate(text); }

bool IsDtdlTime(std::string_view text) { return ScanTimeWithOffset(text); }

bool IsDtdlDateTime(std::string_view text) {
  return text.size() > 11 && ScanDate(text) && text[10] == 'T' &&
         ScanTimeWithOffset(text.substr(11));
}

bool IsDtdlDuration(std::string_view text) {
  if (text.size() < 2 || text[0] != 'P') return false;
  size_t pos = 1;
  int last_rank = -1;
  bool year_or_month = false;
  while (pos < text.size() && text[pos] != 'T') {
    char designator = 0;
    bool fraction = false;
    if (!ScanDurationComponent(text, &pos, &designator, &fraction)) return false;
    int rank = DateRank(designator);
    if (rank <= last_rank) return false;  // unknown designator, repeated or out of order
    if (designator == 'W' && year_or_month) return false;  // weeks exclude years and months
    if (fraction && pos != text.size()) return false;      // a fraction only at the very end
    year_or_month = year_or_month || rank <= 1;
    last_rank = rank;
  }
  if (pos == text.size()) return true;
  ++pos;                                 // 'T'
  if (pos == text.size()) return false;  // "T" needs a component
  last_rank = -1;
  while (pos < text.size()) {
    char designator = 0;
    bool fraction = false;
    if (!ScanDurationComponent(text, &pos, &designator, &fraction)) return false;
    int rank = TimeRank(designator);
    if (rank <= last_rank) return false;
    if (fraction && pos != text.size()) return false;
    last_rank = rank;
  }
  return true;
}

}  // namespace dtwin::dtdl
