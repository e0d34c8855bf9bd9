// NewEtag (declared in twin_graph.h): weak etags W/"<uuid v4>" from a per-thread PRNG.
// Thread-safe (no shared state). Etags need to be unique, not unpredictable, so a seeded
// Mersenne Twister is enough and avoids a random_device read (a syscall) per write.
#include <cstdint>
#include <random>
#include <string>

#include "graph/twin_graph.h"  // declares NewEtag

namespace dtwin::graph {

namespace {

std::mt19937_64& ThreadGenerator() {
  thread_local std::mt19937_64 generator = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(),
                       device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  return generator;
}

void AppendHex(uint64_t bits, int digits, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(bits >> shift) & 0xf];
}

}  // namespace

std::string NewEtag() {
  std::mt19937_64& generator = ThreadGenerator();
  uint64_t high = generator();
  uint64_t low = generator();
  // RFC 9562 version 4: version nibble 0100 (bits 12-15 of the third group), variant 10.
  high = (high & ~uint64_t{0xf000}) | uint64_t{0x4000};
  low = (low & ~(uint64_t{0x3} << 62)) | (uint64_t{0x2} << 62);
  std::string etag;
  etag.reserve(40);
  etag += "W/\"";
  AppendHex(high >> 32, 8, etag);
  etag += '-';
  AppendHex(high >> 16, 4, etag);
  etag += '-';
  AppendHex(high, 4, etag);
  etag += '-';
  AppendHex(low >> 48, 4, etag);
  etag += '-';
  AppendHex(low, 12, etag);
  etag += '"';
  return etag;
}

}  // namespace dtwin::graph
