// Text helpers shared by the JOSE code (JWKS, JWT): strict base64url decoding and quoting of
// untrusted values in error messages. Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dtwin::auth {

// Base64url without padding (RFC 7515 section 2). Unlike Base64UrlDecode it also rejects a
// length that no encoding produces (4n+1), so a mangled token cannot decode to something.
// Returns false on any invalid input; out is then unspecified.
bool DecodeBase64UrlStrict(std::string_view text, std::string& out);

// Untrusted text made fit for an error message: at most max_chars characters (then "..."),
// anything but printable ASCII shown as '?', so hostile input cannot forge log lines or bloat
// them.
std::string Printable(std::string_view text, size_t max_chars);

// Printable(text, 64) in double quotes: how messages show a claim or header value.
std::string QuoteUntrusted(std::string_view text);

}  // namespace dtwin::auth
