// dtwin extensions (not in Azure Digital Twins): the typed results of DigitalTwinsClient's
// event endpoint and dead-letter calls (/extensions/endpoints). Plain value types.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

namespace dtwin::client {

// An event endpoint the server was started with, and its delivery counters since the server
// started (docs/events.md, "Metrics").
struct EndpointInfo {
  std::string name;
  std::string kind;  // "webhook", "mqtt", "nats"
  std::string url;   // the server masks secrets (passwords, keys) as "***"
  uint64_t delivered = 0;
  uint64_t retried = 0;
  uint64_t failed = 0;
  uint64_t dead_lettered = 0;
  uint64_t queue_depth = 0;  // queued, in flight or backing off now
};

// An event the server gave up delivering to an endpoint.
struct DeadLetter {
  std::string id;  // opaque; unique on the server
  std::string endpoint;
  std::string reason;            // e.g. the status the endpoint answered, or the expired TTL
  std::string dead_lettered_at;  // RFC 3339, as the service wrote it
  std::string committed_at;      // when the change that made the event was committed
  boost::json::object event;     // the CloudEvent, in structured mode
};

}  // namespace dtwin::client
