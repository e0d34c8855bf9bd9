// Random identifiers (see uuid.h).
#include "client/uuid.h"

#include <cstdint>
#include <random>

namespace dtwin::client {
namespace {

std::mt19937_64& Engine() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

// Random bytes, eight from each draw of the engine (a draw costs more than the bytes).
class RandomBytes {
 public:
  uint8_t Next() {
    if (left_ == 0) {
      word_ = Engine()();
      left_ = 8;
    }
    --left_;
    return static_cast<uint8_t>(word_ >> (8 * left_));
  }

 private:
  uint64_t word_ = 0;
  int left_ = 0;
};

void AppendHex(std::string& out, uint8_t byte) {
  constexpr char kDigits[] = "0123456789abcdef";
  out += kDigits[byte >> 4];
  out += kDigits[byte & 0xf];
}

}  // namespace

std::string NewUuid() {
  RandomBytes random;
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < 16; ++i) {
    uint8_t byte = random.Next();
    if (i == 6) byte = static_cast<uint8_t>((byte & 0x0f) | 0x40);  // version 4
    if (i == 8) byte = static_cast<uint8_t>((byte & 0x3f) | 0x80);  // RFC 4122 variant
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    AppendHex(out, byte);
  }
  return out;
}

std::string RandomHex(size_t bytes) {
  RandomBytes random;
  std::string out;
  out.reserve(2 * bytes);
  do {
    out.clear();
    for (size_t i = 0; i < bytes; ++i) AppendHex(out, random.Next());
  } while (out.find_first_not_of('0') == std::string::npos);
  return out;
}

}  // namespace dtwin::client
