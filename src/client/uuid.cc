// Random identifiers (see uuid.h).
#include "client/uuid.h"

#include <array>
#include <cstdint>
#include <random>

namespace dtwin::client {
namespace {

std::mt19937_64& Engine() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

void AppendHex(std::string& out, uint8_t byte) {
  constexpr char kDigits[] = "0123456789abcdef";
  out += kDigits[byte >> 4];
  out += kDigits[byte & 0xf];
}

}  // namespace

std::string NewUuid() {
  std::array<uint8_t, 16> bytes;
  for (auto& byte : bytes) byte = static_cast<uint8_t>(Engine()());
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    AppendHex(out, bytes[i]);
  }
  return out;
}

std::string RandomHex(size_t bytes) {
  std::string out;
  do {
    out.clear();
    for (size_t i = 0; i < bytes; ++i) AppendHex(out, static_cast<uint8_t>(Engine()()));
  } while (out.find_first_not_of('0') == std::string::npos);
  return out;
}

}  // namespace dtwin::client
