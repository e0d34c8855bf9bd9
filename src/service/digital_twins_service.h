// The Azure Digital Twins instance: every data-plane operation as one transaction over the
// model registry, the twin graph and the durable store. Transport-agnostic: it takes parsed
// JSON and header values and returns domain values; src/server maps HTTP onto it.
//
// Thread-safety: all methods may be called from any thread. Reads take the instance lock
// shared; writes take it exclusively, validate, apply to memory, queue one WriteBatch, and
// release the lock. A write's Completion runs once the batch is durable (on the store's
// committer thread) or at once when the request is rejected; it must not block.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "events/delivery_engine.h"
#include "query/query_engine.h"
#include "storage/store.h"

namespace dtwin::service {

// Conditional-request headers of twin, component and relationship writes.
struct Preconditions {
  std::optional<std::string> if_match;  // an etag, or "*"
  bool if_none_match_any = false;       // If-None-Match: *
};

// A page of a listing. continuation is opaque; empty on the last page.
template <typename T>
struct Page {
  std::vector<T> items;
  std::string continuation;
};

// Which page to return: continuation from the previous Page (empty for the first) and the
// client's max-items-per-page (0 = the default).
struct PageRequest {
  std::string continuation;
  size_t max_items = 0;
};

// GET /models item (ADT's DigitalTwinsModelData).
struct ModelInfo {
  std::string id;
  boost::json::object display_name;  // language map; a plain DTDL string comes back as {"en": ...}
  boost::json::object description;   // language map, {} when absent
  std::chrono::system_clock::time_point upload_time;
  bool decommissioned = false;
  std::optional<boost::json::object> model;  // the DTDL, when asked for
};

struct EventRoute {
  std::string id;
  std::string endpoint_name;
  std::string filter;
};

struct IncomingRelationship {
  std::string relationship_id;
  std::string source_id;
  std::string relationship_name;
};

// A twin, component or relationship document with its etag (the ETag header).
struct Document {
  boost::json::object body;
  std::string etag;
};

// A document already serialized as JSON text, with its etag.
struct SerializedDocument {
  std::string json;
  std::string etag;
};

// A notification that will not be delivered: its endpoint rejected it, its time-to-live
// ran out, or the endpoint's queue was full when it was committed.
struct DeadLetter {
  uint64_t id = 0;
  std::string endpoint;
  std::string reason;
  std::chrono::system_clock::time_point dead_lettered_at;
  std::chrono::system_clock::time_point committed_at;
  std::string event_json;  // the CloudEvent in structured mode
};

template <typename T>
using Completion = std::function<void(Result<T>)>;
using StatusCompletion = std::function<void(Status)>;

struct ServiceOptions {
  // Event-route endpoints declared with --endpoint NAME=URL or in the config file.
  std::vector<std::string> endpoint_names;
  // Service limits (ADT's defaults).
  size_t max_relationships_per_twin = 50000;  // outgoing, and incoming
  size_t max_event_routes = 6;
  size_t max_models_per_upload = 250;
  size_t default_page_size = 100;
  size_t max_page_size = 1000;
  // Page sizes, timeout and the unanchored-traversal opt-in of POST /query.
  query::QueryOptions query;
  // Budget for twins kept serialized for GET (0 turns the cache off).
  size_t serialized_twin_cache_bytes = 64 * 1024 * 1024;
  // Time source (tests inject a fixed clock).
  std::function<std::chrono::system_clock::time_point()> now = std::chrono::system_clock::now;
};

class DigitalTwinsService {
 public:
  DigitalTwinsService(std::unique_ptr<storage::Store> store, ServiceOptions options);
  ~DigitalTwinsService();
  DigitalTwinsService(const DigitalTwinsService&) = delete;
  DigitalTwinsService& operator=(const DigitalTwinsService&) = delete;

  // Loads models, twins, relationships and routes from the store. Call once, before serving.
  Status Start();

  // Waits until every acknowledged-to-be write is durable. Call at shutdown.
  void Flush();

  // ---- models ----
  // body: the JSON array of DTDL Interfaces. 201 body on success: the new ModelInfos.
  void AddModels(const boost::json::value& body, Completion<std::vector<ModelInfo>> done);
  Result<Page<ModelInfo>> ListModels(const std::vector<std::string>& dependencies_for,
                                     bool include_definition, const PageRequest& page) const;
  Result<ModelInfo> GetModel(std::string_view id, bool include_definition) const;
  // JSON Patch; only "replace /decommissioned" (true) is allowed.
  void UpdateModel(std::string_view id, const boost::json::value& patch, StatusCompletion done);
  void DeleteModel(std::string_view id, StatusCompletion done);

  // ---- twins ----
  Result<Document> GetTwin(std::string_view id) const;
  // The stored twin serialized under the read lock, without copying the document, and kept
  // serialized (per etag, within options.serialized_twin_cache_bytes) for the next GET: the
  // fast path for api-versions whose shape is the stored one (2022-05-31 and later).
  Result<SerializedDocument> GetTwinJson(std::string_view id) const;
  // Create or replace. The body's $dtId/$etag (even null) are ignored; $metadata.$model is
  // required. Responds with the stored twin.
  void PutTwin(std::string_view id, const boost::json::value& body, const Preconditions& pre,
               Completion<Document> done);
  // JSON Patch; completes with the new etag.
  void PatchTwin(std::string_view id, const boost::json::value& patch, const Preconditions& pre,
                 Completion<std::string> done);
  void DeleteTwin(std::string_view id, const Preconditions& pre, StatusCompletion done);

  // ---- components ----
  Result<Document> GetComponent(std::string_view twin_id, std::string_view component) const;
  void PatchComponent(std::string_view twin_id, std::string_view component,
                      const boost::json::value& patch, const Preconditions& pre,
                      Completion<std::string> done);

  // ---- relationships ----
  Result<Document> GetRelationship(std::string_view source_id,
                                   std::string_view relationship_id) const;
  void PutRelationship(std::string_view source_id, std::string_view relationship_id,
                       const boost::json::value& body, const Preconditions& pre,
                       Completion<Document> done);
  void PatchRelationship(std::string_view source_id, std::string_view relationship_id,
                         const boost::json::value& patch, const Preconditions& pre,
                         Completion<std::string> done);
  void DeleteRelationship(std::string_view source_id, std::string_view relationship_id,
                          const Preconditions& pre, StatusCompletion done);
  // relationship_name empty = all.
  Result<Page<boost::json::object>> ListRelationships(std::string_view source_id,
                                                      std::string_view relationship_name,
                                                      const PageRequest& page) const;
  Result<Page<IncomingRelationship>> ListIncomingRelationships(std::string_view target_id,
                                                               const PageRequest& page) const;

  // ---- telemetry ----
  // component empty = the twin itself. message_id is required (non-empty); source_time is
  // passed through as given (ADT accepts any text there).
  void SendTelemetry(std::string_view twin_id, std::string_view component,
                     const boost::json::value& body, std::string_view message_id,
                     std::string_view source_time, StatusCompletion done);

  // ---- query ----
  // One page of an ADT query, evaluated under the read lock, so it sees every write that has
  // been applied (acknowledged or about to be).
  Result<query::QueryPage> Query(const query::QueryRequest& request) const;

  // ---- event routes ----
  void PutEventRoute(std::string_view id, const boost::json::value& body, StatusCompletion done);
  Result<EventRoute> GetEventRoute(std::string_view id) const;
  Result<Page<EventRoute>> ListEventRoutes(const PageRequest& page) const;
  void DeleteEventRoute(std::string_view id, StatusCompletion done);

  // ---- event delivery (dtwin extension) ----
  // Starts delivering notifications to endpoints (name -> a sink per delivery lane); the
  // events the store kept from before a restart go first. Call once, after Start. Without
  // it, writes build no notifications at all. options.now is replaced by the service's clock.
  // source: the CloudEvents source of the notifications, the host name clients use for this
  // instance (ADT: "<name>.api.<region>.digitaltwins.azure.net").
  Status StartEventDelivery(std::vector<std::pair<std::string, events::SinkFactory>> endpoints,
                            events::DeliveryOptions options, std::string source);
  // The endpoints with their delivery counters, in name order (secrets masked).
  std::vector<events::EndpointInfo> ListEndpoints() const;
  // One of them; kNotFound for an unknown name.
  Result<events::EndpointInfo> GetEndpoint(std::string_view name) const;
  // Per-endpoint delivery metrics in the Prometheus text format ("" before delivery starts).
  std::string EventMetricsText() const;
  // The endpoint's dead letters, oldest first. kNotFound for an unknown endpoint.
  Result<Page<DeadLetter>> ListDeadLetters(std::string_view endpoint,
                                           const PageRequest& page) const;
  // Puts all of the endpoint's dead letters back into its queue (with a new time-to-live);
  // completes with how many.
  void ReplayDeadLetters(std::string_view endpoint, Completion<size_t> done);

  // OK, or why the instance is read-only (a failed commit).
  Status health() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dtwin::service
