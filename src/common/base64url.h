// Base64url (RFC 4648 section 5) without padding: the alphabet of opaque tokens that travel in
// URLs and JSON (continuation tokens). Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace dtwin {

std::string Base64UrlEncode(std::string_view bytes);

// Appends the decoded bytes to out; false when text holds a character outside the alphabet
// or has a length no encoding produces (4n + 1).
bool Base64UrlDecode(std::string_view text, std::string& out);

}  // namespace dtwin
