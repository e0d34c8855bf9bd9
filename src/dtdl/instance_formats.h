// Wire formats of the DTDL temporal primitive schemas (date, time, dateTime, duration), as
// the reference parser accepts them, checked by hand-written scanners (no std::regex: these
// run for every twin write). Stateless; thread-safe.
#pragma once

#include <string_view>

namespace dtwin::dtdl {

// "YYYY-MM-DD", a real calendar date (year 0001-9999, leap years, days per month).
bool IsDtdlDate(std::string_view text);

// "hh:mm:ss[.fraction](Z|+hh:mm|-hh:mm)": the offset is mandatory; hh < 24, mm and ss < 60
// (no leap second); offset hours < 24.
bool IsDtdlTime(std::string_view text);

// "YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm)": an uppercase 'T', a mandatory offset,
// and field values as IsDtdlDate and IsDtdlTime check them.
bool IsDtdlDateTime(std::string_view text);

// ISO 8601 duration as the parser's regex accepts it: "P" then Y, M, D components in that
// order or W then D, then optionally "T" with H, M, S in that order; at least one component,
// and "T" must be followed by one. A fraction ("1.5") is allowed only on the last component
// of the text. "P", "PT", "P1DT", "P1Y2W", "P1.5Y2M" are not durations.
bool IsDtdlDuration(std::string_view text);

}  // namespace dtwin::dtdl
