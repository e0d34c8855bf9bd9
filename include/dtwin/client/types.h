// The small typed results and arguments of DigitalTwinsClient. Twins, relationships,
// components and query rows stay Boost.JSON values: their shape is the user's model.
// Plain value types.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace dtwin::client {

// GET /models item (ADT's DigitalTwinsModelData).
struct ModelData {
  std::string id;
  boost::json::object display_name;  // language map, e.g. {"en": "Room"}
  boost::json::object description;   // language map
  std::optional<std::string> upload_time;  // as the service wrote it (RFC 3339)
  bool decommissioned = false;
  std::optional<boost::json::object> model;  // the DTDL, when asked for
};

struct ListModelsOptions {
  std::vector<std::string> dependencies_for;  // these models and what they depend on
  bool include_model_definition = false;
};

struct IncomingRelationship {
  std::string relationship_id;
  std::string source_id;
  std::string relationship_name;
  std::string relationship_link;
};

struct EventRoute {
  std::string id;  // read-only: set by the service from the URL
  std::string endpoint_name;
  std::string filter = "true";
};

// Conditional requests: If-Match (an etag, or "*") and, for creates, If-None-Match: *.
struct MatchConditions {
  std::optional<std::string> if_match;
  bool if_none_match_any = false;
};

// PublishTelemetry's optional fields. An empty message_id gets a random UUID (the service
// requires one, and deduplicates by it); no source_time sends the current time, as the
// official SDKs do.
struct TelemetryOptions {
  std::string message_id;
  std::optional<std::string> source_time;  // Telemetry-Source-Time, RFC 3339
};

}  // namespace dtwin::client
