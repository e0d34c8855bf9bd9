// Strict base64url and quoting of untrusted values (see the header).
#include "auth/jose_text.h"

#include "common/base64url.h"

namespace dtwin::auth {

bool DecodeBase64UrlStrict(std::string_view text, std::string& out) {
  out.clear();
  if (text.size() % 4 == 1) return false;
  out.reserve(text.size() * 3 / 4);
  return Base64UrlDecode(text, out);
}

std::string Printable(std::string_view text, size_t max_chars) {
  std::string printable;
  for (size_t i = 0; i < text.size() && i < max_chars; ++i) {
    const char c = text[i];
    printable += (c >= 0x20 && c < 0x7F) ? c : '?';
  }
  if (text.size() > max_chars) printable += "...";
  return printable;
}

std::string QuoteUntrusted(std::string_view text) {
  constexpr size_t kMaxQuoted = 64;
  return '"' + Printable(text, kMaxQuoted) + '"';
}

}  // namespace dtwin::auth
