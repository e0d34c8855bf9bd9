// ASCII text helpers for protocol text (HTTP header names and values, URL schemes), where
// only ASCII letters have case and only spaces, tabs and line ends are white space.
// Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace dtwin {

// text without leading and trailing spaces, tabs, CR and LF.
std::string_view TrimAsciiSpace(std::string_view text);

// text with A-Z turned into a-z (other bytes as they are).
std::string LowerAscii(std::string_view text);

}  // namespace dtwin
