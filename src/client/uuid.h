// Random identifiers for requests: x-ms-client-request-id (UUID v4) and W3C trace context ids.
// Thread-safe (one random engine per thread).
#pragma once

#include <cstddef>
#include <string>

namespace dtwin::client {

// A random (version 4) UUID in its 36-character lower-case form.
std::string NewUuid();

// `bytes` random bytes as 2 * bytes lower-case hex digits, never all zero (W3C trace context
// forbids all-zero trace and parent ids).
std::string RandomHex(size_t bytes);

}  // namespace dtwin::client
