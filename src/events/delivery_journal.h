// Where the delivery engine records each entry's end, durably: implemented by the service over
// the store (delete the outbox row; move it to the dead-letter table). Implementations must be
// thread-safe and never block long: they are called from the engine's delivery threads.
#pragma once

#include <string_view>

#include "events/outbox_entry.h"

namespace dtwin::events {

class DeliveryJournal {
 public:
  virtual ~DeliveryJournal() = default;
  // The endpoint acknowledged the entry.
  virtual void Delivered(const OutboxEntry& entry) = 0;
  // The entry will not be delivered: rejected by the endpoint, time-to-live expired, or its
  // endpoint is not configured. reason says which, for the dead-letter listing.
  virtual void DeadLettered(const OutboxEntry& entry, std::string_view reason) = 0;
};

}  // namespace dtwin::events
