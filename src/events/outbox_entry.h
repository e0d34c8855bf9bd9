// One committed event waiting for delivery to one endpoint: a row of the storage outbox as the
// delivery engine sees it. A plain value type; safe to copy between threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "events/event_sink.h"

namespace dtwin::events {

struct OutboxEntry {
  uint64_t seq = 0;           // outbox row id, increasing in commit order
  std::string endpoint;       // endpoint name
  std::string partition_key;  // the twin id (source twin for relationships): delivery order is
                              // kept per key
  std::chrono::system_clock::time_point committed_at;  // for the time-to-live and latency
  CloudEvent event;
};

}  // namespace dtwin::events
