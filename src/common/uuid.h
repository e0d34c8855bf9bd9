// Random (version 4) UUIDs for etags and event ids, from a per-thread generator. Thread-safe:
// each thread has its own generator, so there is no shared state.
#pragma once

#include <random>
#include <string>

namespace dtwin {

// This thread's pseudo-random generator, seeded once from std::random_device. Ids need to
// be unique, not unpredictable, so a seeded Mersenne Twister is enough and avoids a
// random_device read (a syscall) per id.
std::mt19937_64& ThreadRandom();

// Appends a lower-case RFC 9562 version 4 UUID ("1b4e28ba-2fa1-41d2-883f-0016d3cca427").
void AppendUuid(std::string& out);

// The same, as a new string.
std::string NewUuid();

}  // namespace dtwin
