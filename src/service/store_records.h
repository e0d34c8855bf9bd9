// The JSON records the service keeps in the store (storage::Mutation values): models with
// their upload batch, twin and relationship documents as served, and event routes.
// Encoding and strict decoding (a record that does not decode is a corrupt store).
// Stateless functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "graph/twin_graph.h"
#include "service/digital_twins_service.h"

namespace dtwin::service {

// {"model": <DTDL Interface>, "uploadTime": "<ISO>", "decommissioned": bool, "batch": n}.
// Models uploaded together share a batch number, so that they are re-parsed together at
// start-up (they may reference each other).
struct ModelRecord {
  boost::json::object model;
  std::chrono::system_clock::time_point upload_time;
  bool decommissioned = false;
  uint64_t batch = 0;
};

std::string EncodeModelRecord(const boost::json::object& model,
                              std::chrono::system_clock::time_point upload_time,
                              bool decommissioned, uint64_t batch);
Result<ModelRecord> DecodeModelRecord(std::string_view id, std::string_view text);

// A twin record is its document; the twin's id, model and etag are read from it.
Result<graph::Twin> DecodeTwinRecord(std::string_view id, std::string_view text);

// A relationship record is its document.
Result<graph::Relationship> DecodeRelationshipRecord(std::string_view source_id,
                                                     std::string_view relationship_id,
                                                     std::string_view text);

// {"endpointName": "...", "filter": "..."}.
std::string EncodeRouteRecord(const EventRoute& route);
Result<EventRoute> DecodeRouteRecord(std::string_view id, std::string_view text);

}  // namespace dtwin::service
