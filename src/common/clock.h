// Timestamps as ADT renders them: UTC, 7 fractional digits (100 ns ticks), "Z" for twin
// metadata ("2023-05-18T23:08:19.7086397Z") and "+00:00" for model upload times
// ("2023-05-18T23:08:19.2466459+00:00"). Stateless functions; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <ratio>
#include <string>
#include <string_view>

namespace dtwin {

// ADT's clock resolution: one tick is 100 ns, the seventh fractional digit.
using AdtTicks = std::chrono::duration<int64_t, std::ratio<1, 10'000'000>>;

// time rounded down to a whole tick, so that a time survives formatting and parsing intact.
std::chrono::system_clock::time_point TruncateToAdtTicks(
    std::chrono::system_clock::time_point time);

// "2023-05-18T23:08:19.7086397Z" (time truncated to a tick).
std::string FormatAdtTime(std::chrono::system_clock::time_point time);

// "2023-05-18T23:08:19.7086397+00:00": the form of ModelData.uploadTime.
std::string FormatAdtTimeWithOffset(std::chrono::system_clock::time_point time);

// Parses an RFC 3339 date-time "YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm)" (both forms
// above, and any offset, which is applied). Digits beyond the seventh fractional one are
// dropped. nullopt when text is not such a date-time.
std::optional<std::chrono::system_clock::time_point> ParseAdtTime(std::string_view text);

}  // namespace dtwin
