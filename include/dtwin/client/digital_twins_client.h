// DigitalTwinsClient: the Azure Digital Twins data plane from C++, with the surface of the
// Python azure-digitaltwins-core client (models, twins, components, relationships, queries,
// telemetry, event routes). Works against Azure Digital Twins and dtwin alike; the dtwin
// extensions (event endpoints and dead letters) need a dtwin server.
//
// Errors are exceptions: every method throws DigitalTwinsError (or ResourceNotFoundError,
// ResourceModifiedError, ResourceExistsError) on failure; see errors.h. Thread-safe: one
// client may be used from many threads at once (connections are pooled and reused).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dtwin/client/async_result.h"
#include "dtwin/client/call_context.h"
#include "dtwin/client/client_options.h"
#include "dtwin/client/credentials.h"
#include "dtwin/client/endpoint_types.h"
#include "dtwin/client/errors.h"
#include "dtwin/client/pager.h"
#include "dtwin/client/types.h"

namespace dtwin::client {

class DigitalTwinsClient {
 public:
  // endpoint: "https://<instance>.api.<region>.digitaltwins.azure.net" or a dtwin URL.
  DigitalTwinsClient(std::string endpoint, std::shared_ptr<TokenCredential> credential,
                     DigitalTwinsClientOptions options = {});
  ~DigitalTwinsClient();
  DigitalTwinsClient(DigitalTwinsClient&&) noexcept;
  DigitalTwinsClient& operator=(DigitalTwinsClient&&) noexcept;

  // ---- models ----
  // models: a JSON array of DTDL Interfaces, uploaded as one all-or-nothing batch.
  std::vector<ModelData> CreateModels(const boost::json::array& models,
                                      const CallContext& context = {});
  ModelData GetModel(std::string_view model_id, bool include_model_definition = false,
                     const CallContext& context = {});
  Pager<ModelData> ListModels(const ListModelsOptions& options = {}, const PageOptions& paging = {},
                              const CallContext& context = {});
  void DecommissionModel(std::string_view model_id, const CallContext& context = {});
  void DeleteModel(std::string_view model_id, const CallContext& context = {});

  // ---- digital twins ----
  boost::json::object GetDigitalTwin(std::string_view twin_id, const CallContext& context = {});
  // Create or replace; returns the stored twin (with its new $etag).
  boost::json::object UpsertDigitalTwin(std::string_view twin_id, const boost::json::object& twin,
                                        const MatchConditions& conditions = {},
                                        const CallContext& context = {});
  // patch: a JSON Patch array. Returns the twin's new etag.
  std::string UpdateDigitalTwin(std::string_view twin_id, const boost::json::array& patch,
                                const MatchConditions& conditions = {},
                                const CallContext& context = {});
  void DeleteDigitalTwin(std::string_view twin_id, const MatchConditions& conditions = {},
                         const CallContext& context = {});

  // ---- components ----
  boost::json::object GetComponent(std::string_view twin_id, std::string_view component_name,
                                   const CallContext& context = {});
  std::string UpdateComponent(std::string_view twin_id, std::string_view component_name,
                              const boost::json::array& patch,
                              const MatchConditions& conditions = {},
                              const CallContext& context = {});

  // ---- relationships ----
  boost::json::object GetRelationship(std::string_view twin_id, std::string_view relationship_id,
                                      const CallContext& context = {});
  boost::json::object UpsertRelationship(std::string_view twin_id, std::string_view relationship_id,
                                         const boost::json::object& relationship,
                                         const MatchConditions& conditions = {},
                                         const CallContext& context = {});
  std::string UpdateRelationship(std::string_view twin_id, std::string_view relationship_id,
                                 const boost::json::array& patch,
                                 const MatchConditions& conditions = {},
                                 const CallContext& context = {});
  void DeleteRelationship(std::string_view twin_id, std::string_view relationship_id,
                          const MatchConditions& conditions = {}, const CallContext& context = {});
  // relationship_name empty = every relationship of the twin.
  Pager<boost::json::object> ListRelationships(std::string_view twin_id,
                                               std::string_view relationship_name = {},
                                               const PageOptions& paging = {},
                                               const CallContext& context = {});
  Pager<IncomingRelationship> ListIncomingRelationships(std::string_view twin_id,
                                                        const PageOptions& paging = {},
                                                        const CallContext& context = {});

  // ---- query ----
  // Rows as the service returns them (twins for SELECT *, objects keyed by column otherwise);
  // each Page carries its query_charge.
  Pager<boost::json::object> QueryTwins(std::string_view query, const PageOptions& paging = {},
                                        const CallContext& context = {});

  // ---- telemetry ----
  void PublishTelemetry(std::string_view twin_id, const boost::json::value& payload,
                        const TelemetryOptions& options = {}, const CallContext& context = {});
  void PublishComponentTelemetry(std::string_view twin_id, std::string_view component_name,
                                 const boost::json::value& payload,
                                 const TelemetryOptions& options = {},
                                 const CallContext& context = {});

  // ---- asynchronous forms ----
  // The same operations, started without waiting: each returns at once and hands its outcome
  // to `done` (see async_result.h: it runs on the client's I/O thread). Retries, deadlines and
  // cancellation work as for the synchronous forms, and the waits between retries hold no
  // thread, so one thread can keep many calls in flight. The client must outlive its calls
  // (destroying it ends those still running with kCancelledError). Lists, queries, models and
  // routes have only the synchronous form.
  void GetDigitalTwinAsync(std::string_view twin_id, AsyncCallback<boost::json::object> done,
                           const CallContext& context = {});
  void UpsertDigitalTwinAsync(std::string_view twin_id, const boost::json::object& twin,
                              AsyncCallback<boost::json::object> done,
                              const MatchConditions& conditions = {},
                              const CallContext& context = {});
  void UpdateDigitalTwinAsync(std::string_view twin_id, const boost::json::array& patch,
                              AsyncCallback<std::string> done,
                              const MatchConditions& conditions = {},
                              const CallContext& context = {});
  void DeleteDigitalTwinAsync(std::string_view twin_id, AsyncCallback<void> done,
                              const MatchConditions& conditions = {},
                              const CallContext& context = {});
  void GetComponentAsync(std::string_view twin_id, std::string_view component_name,
                         AsyncCallback<boost::json::object> done, const CallContext& context = {});
  void UpdateComponentAsync(std::string_view twin_id, std::string_view component_name,
                            const boost::json::array& patch, AsyncCallback<std::string> done,
                            const MatchConditions& conditions = {},
                            const CallContext& context = {});
  void GetRelationshipAsync(std::string_view twin_id, std::string_view relationship_id,
                            AsyncCallback<boost::json::object> done,
                            const CallContext& context = {});
  void UpsertRelationshipAsync(std::string_view twin_id, std::string_view relationship_id,
                               const boost::json::object& relationship,
                               AsyncCallback<boost::json::object> done,
                               const MatchConditions& conditions = {},
                               const CallContext& context = {});
  void UpdateRelationshipAsync(std::string_view twin_id, std::string_view relationship_id,
                               const boost::json::array& patch, AsyncCallback<std::string> done,
                               const MatchConditions& conditions = {},
                               const CallContext& context = {});
  void DeleteRelationshipAsync(std::string_view twin_id, std::string_view relationship_id,
                               AsyncCallback<void> done, const MatchConditions& conditions = {},
                               const CallContext& context = {});
  void PublishTelemetryAsync(std::string_view twin_id, const boost::json::value& payload,
                             AsyncCallback<void> done, const TelemetryOptions& options = {},
                             const CallContext& context = {});
  void PublishComponentTelemetryAsync(std::string_view twin_id, std::string_view component_name,
                                      const boost::json::value& payload, AsyncCallback<void> done,
                                      const TelemetryOptions& options = {},
                                      const CallContext& context = {});

  // ---- event routes ----
  EventRoute GetEventRoute(std::string_view event_route_id, const CallContext& context = {});
  void UpsertEventRoute(std::string_view event_route_id, const EventRoute& route,
                        const CallContext& context = {});
  Pager<EventRoute> ListEventRoutes(const PageOptions& paging = {},
                                    const CallContext& context = {});
  void DeleteEventRoute(std::string_view event_route_id, const CallContext& context = {});

  // ---- dtwin extensions: event endpoints and dead letters ----
  // Only a dtwin server answers these (/extensions/endpoints); Azure Digital Twins answers
  // 404. An unknown endpoint name throws ResourceNotFoundError.
  std::vector<EndpointInfo> ListEndpoints(const CallContext& context = {});
  EndpointInfo GetEndpoint(std::string_view endpoint_name, const CallContext& context = {});
  // The endpoint's dead letters, oldest first.
  Pager<DeadLetter> ListDeadLetters(std::string_view endpoint_name, const PageOptions& paging = {},
                                    const CallContext& context = {});
  // Puts every dead letter of the endpoint back into its delivery queue (with a fresh
  // time-to-live); returns how many.
  size_t ReplayDeadLetters(std::string_view endpoint_name, const CallContext& context = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dtwin::client
