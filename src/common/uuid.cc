// Version 4 UUIDs from ThreadRandom.
#include "common/uuid.h"

#include <cstdint>

namespace dtwin {

namespace {

void AppendHex(uint64_t bits, int digits, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(bits >> shift) & 0xf];
}

}  // namespace

std::mt19937_64& ThreadRandom() {
  thread_local std::mt19937_64 generator = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(),
                       device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  return generator;
}

void AppendUuid(std::string& out) {
  std::mt19937_64& generator = ThreadRandom();
  uint64_t high = generator();
  uint64_t low = generator();
  // Version nibble 0100 (bits 12-15 of the third group), variant 10.
  high = (high & ~uint64_t{0xf000}) | uint64_t{0x4000};
  low = (low & ~(uint64_t{0x3} << 62)) | (uint64_t{0x2} << 62);
  AppendHex(high >> 32, 8, out);
  out += '-';
  AppendHex(high >> 16, 4, out);
  out += '-';
  AppendHex(high, 4, out);
  out += '-';
  AppendHex(low >> 48, 4, out);
  out += '-';
  AppendHex(low, 12, out);
}

std::string NewUuid() {
  std::string uuid;
  uuid.reserve(36);
  AppendUuid(uuid);
  return uuid;
}

}  // namespace dtwin
