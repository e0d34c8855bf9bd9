// Digital Twin Model Identifiers: syntax per DTDL version, parts, and the generated
// (system) identifiers the parser assigns to elements without an @id. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dtwin::dtdl {

enum class DtdlVersion : uint8_t { kV2 = 2, kV3 = 3 };

// The parts of any syntactically valid DTMI, including system segments ("_contents") and
// fragments ("#x"), which are legal DTMIs but not allowed as @id in a model.
// The semantics follow the reference parser's Dtmi class (and the corpus dtmis/ vectors).
struct DtmiParts {
  // "dtmi:com:example:Thermostat;1" -> {"com", "example", "Thermostat"}
  std::vector<std::string> labels;
  // The DTMI without ";version", fragment kept: "dtmi:com:example:Thermostat;1#f" ->
  // "dtmi:com:example:Thermostat#f".
  std::string versionless;
  std::optional<uint32_t> major_version;
  std::optional<uint32_t> minor_version;
  // With its '#': "#f"; "#" for an empty fragment; "" when there is none.
  std::string fragment;
  bool has_system_segment = false;  // a label or the fragment starts with '_' (IsReserved)
};

// Parses any DTMI (the general syntax of the DTMI specification): nullopt when invalid.
// Limits: total length 4096; major version <= 9 digits, minor <= 6 digits, no leading zeros.
std::optional<DtmiParts> ParseDtmi(std::string_view text);

// True when text is a user DTMI allowed in a model of that version: v2 requires a one-part
// version; v3 allows none or major.minor; no system segments, no fragment.
bool IsValidModelDtmi(std::string_view text, DtdlVersion version);

// True when text starts with a prefix reserved for DTDL itself (dtmi:dtdl:, dtmi:standard:).
bool HasReservedDtmiPrefix(std::string_view text);

// The identifier DTDL assigns to an element without @id (DTDL "Automatic identifier
// assignment"): a singular member inserts ":_member", a plural one ":_member:__name",
// both before the parent's version. parent "dtmi:ex:I;1", member "contents", name "temp"
// -> "dtmi:ex:I:_contents:__temp;1".
std::string GeneratedChildId(std::string_view parent_id, std::string_view member,
                             std::string_view name_or_empty);

}  // namespace dtwin::dtdl
