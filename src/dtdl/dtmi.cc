// DTMI syntax (DTMI README; DTDLParser Dtmi.cs and IdValidator.g.cs), written as a single
// left-to-right scan instead of regular expressions: ids are checked on every model upload.
#include "dtdl/dtmi.h"

#include <cstddef>

namespace dtwin::dtdl {

namespace {

constexpr size_t kMaxDtmiLength = 4096;
constexpr std::string_view kScheme = "dtmi:";

bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSegmentChar(char c) { return IsAlpha(c) || IsDigit(c) || c == '_'; }

// Where the parts of a syntactically valid DTMI are; computed without allocating.
struct DtmiScan {
  size_t path_end = 0;       // end of the last label (';', '#' or the end)
  size_t version_begin = 0;  // after ';'; == version_end when there is no version
  size_t version_end = 0;
  size_t dot = 0;  // position of '.' inside the version, 0 when none
  bool has_version = false;
  bool has_fragment = false;  // '#' present (the fragment may be empty)
  bool has_system_segment = false;
};

// Scans one segment starting at pos: [A-Za-z0-9_]+, not starting with a digit, not
// ending with '_' (the DTMI regex "(?:_+[A-Za-z0-9]|[A-Za-z])(?:[A-Za-z0-9_]*[A-Za-z0-9])?").
// Returns the end position, or npos when the segment is invalid.
size_t ScanSegment(std::string_view text, size_t pos) {
  size_t end = pos;
  while (end < text.size() && IsSegmentChar(text[end])) ++end;
  if (end == pos || IsDigit(text[pos]) || text[end - 1] == '_') return std::string_view::npos;
  return end;
}

// Scans [1-9][0-9]{0,max_digits-1} at pos; returns the end or npos.
size_t ScanVersionNumber(std::string_view text, size_t pos, size_t max_digits) {
  if (pos >= text.size() || text[pos] < '1' || text[pos] > '9') return std::string_view::npos;
  size_t end = pos + 1;
  while (end < text.size() && IsDigit(text[end])) ++end;
  if (end - pos > max_digits) return std::string_view::npos;
  return end;
}

bool ScanDtmi(std::string_view text, DtmiScan* scan) {
  if (text.size() > kMaxDtmiLength || text.substr(0, kScheme.size()) != kScheme) return false;
  size_t pos = kScheme.size();
  while (true) {
    size_t end = ScanSegment(text, pos);
    if (end == std::string_view::npos) return false;
    if (text[pos] == '_') scan->has_system_segment = true;
    pos = end;
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      continue;
    }
    break;
  }
  scan->path_end = pos;
  scan->version_begin = scan->version_end = pos;
  if (pos < text.size() && text[pos] == ';') {
    scan->has_version = true;
    scan->version_begin = pos + 1;
    pos = ScanVersionNumber(text, pos + 1, 9);
    if (pos == std::string_view::npos) return false;
    if (pos < text.size() && text[pos] == '.') {
      scan->dot = pos;
      pos = ScanVersionNumber(text, pos + 1, 6);
      if (pos == std::string_view::npos) return false;
    }
    scan->version_end = pos;
  }
  if (pos < text.size() && text[pos] == '#') {
    scan->has_fragment = true;
    ++pos;
    if (pos < text.size()) {  // an empty fragment is allowed
      size_t end = ScanSegment(text, pos);
      if (end == std::string_view::npos) return false;
      if (text[pos] == '_') scan->has_system_segment = true;
      pos = end;
    }
  }
  return pos == text.size();
}

uint32_t ToNumber(std::string_view digits) {
  uint32_t value = 0;
  for (char c : digits) value = value * 10 + static_cast<uint32_t>(c - '0');
  return value;
}

}  // namespace

std::optional<DtmiParts> ParseDtmi(std::string_view text) {
  DtmiScan scan;
  if (!ScanDtmi(text, &scan)) return std::nullopt;
  DtmiParts parts;
  size_t pos = kScheme.size();
  while (pos <= scan.path_end) {
    size_t end = text.find(':', pos);
    if (end == std::string_view::npos || end > scan.path_end) end = scan.path_end;
    parts.labels.emplace_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  if (scan.has_version) {
    size_t major_end = scan.dot != 0 ? scan.dot : scan.version_end;
    parts.major_version = ToNumber(text.substr(scan.version_begin, major_end - scan.version_begin));
    if (scan.dot != 0) {
      parts.minor_version = ToNumber(text.substr(scan.dot + 1, scan.version_end - scan.dot - 1));
    }
  }
  std::string_view fragment = text.substr(scan.has_version ? scan.version_end : scan.path_end);
  parts.fragment = std::string(fragment);
  parts.versionless = std::string(text.substr(0, scan.path_end));
  parts.versionless += fragment;
  parts.has_system_segment = scan.has_system_segment;
  return parts;
}

bool IsValidModelDtmi(std::string_view text, DtdlVersion version) {
  DtmiScan scan;
  if (!ScanDtmi(text, &scan) || scan.has_system_segment || scan.has_fragment) return false;
  if (version == DtdlVersion::kV2) return scan.has_version && scan.dot == 0;
  return true;
}

bool HasReservedDtmiPrefix(std::string_view text) {
  return text.starts_with("dtmi:dtdl:") || text.starts_with("dtmi:standard:");
}

std::string GeneratedChildId(std::string_view parent_id, std::string_view member,
                             std::string_view name_or_empty) {
  // The inserted segments go before the version (or a fragment), else at the end.
  size_t insert_at = parent_id.find_first_of(";#");
  if (insert_at == std::string_view::npos) insert_at = parent_id.size();
  std::string id;
  id.reserve(parent_id.size() + member.size() + name_or_empty.size() + 5);
  id.append(parent_id.substr(0, insert_at));
  id.append(":_");
  id.append(member);
  if (!name_or_empty.empty()) {
    id.append(":__");
    id.append(name_or_empty);
  }
  id.append(parent_id.substr(insert_at));
  return id;
}

}  // namespace dtwin::dtdl
