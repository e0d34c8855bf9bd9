// DigitalTwinsClient's operations: each builds one ADT request (percent-encoded ids, the
// headers and content types the official SDKs send), sends it through the pipeline and reads
// the answer; lists and queries become lazy pagers. Thread-safe: the only state is the
// pipeline, which is.
#include "dtwin/client/digital_twins_client.h"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "client/error_mapping.h"
#include "client/http_pipeline.h"
#include "client/uuid.h"
#include "client/wire_codec.h"

namespace dtwin::client {
namespace {

constexpr const char* kJsonPatchContentType = "application/json-patch+json";

std::string TwinPath(std::string_view twin_id) {
  return "/digitaltwins/" + EncodeUrlComponent(twin_id);
}

std::string ComponentPath(std::string_view twin_id, std::string_view component_name) {
  return TwinPath(twin_id) + "/components/" + EncodeUrlComponent(component_name);
}

std::string RelationshipPath(std::string_view twin_id, std::string_view relationship_id) {
  return TwinPath(twin_id) + "/relationships/" + EncodeUrlComponent(relationship_id);
}

std::string ModelPath(std::string_view model_id) {
  return "/models/" + EncodeUrlComponent(model_id);
}

std::string EventRoutePath(std::string_view event_route_id) {
  return "/eventroutes/" + EncodeUrlComponent(event_route_id);
}

std::string EndpointPath(std::string_view endpoint_name) {
  return "/extensions/endpoints/" + EncodeUrlComponent(endpoint_name);
}

PipelineRequest MakeRequest(std::string method, std::string path) {
  PipelineRequest request;
  // The retry policy's rule: GET, PUT and DELETE may be sent twice; PATCH and POST may not
  // (QueryTwins marks its POST idempotent itself).
  request.idempotent = method == "GET" || method == "PUT" || method == "DELETE";
  request.method = std::move(method);
  request.path = std::move(path);
  return request;
}

void AddConditions(PipelineRequest& request, const MatchConditions& conditions) {
  if (conditions.if_match) request.headers.emplace_back("If-Match", *conditions.if_match);
  if (conditions.if_none_match_any) request.headers.emplace_back("If-None-Match", "*");
}

PipelineRequest JsonPatchRequest(std::string path, const boost::json::array& patch,
                                 const MatchConditions& conditions) {
  PipelineRequest request = MakeRequest("PATCH", std::move(path));
  request.headers.emplace_back("Content-Type", kJsonPatchContentType);
  request.body = boost::json::serialize(patch);
  AddConditions(request, conditions);
  return request;
}

// The answer when it is a success; the mapped DigitalTwinsError otherwise.
HttpResponse Send(HttpPipeline& pipeline, PipelineRequest request, const CallContext& context) {
  SentConditions sent = SentConditions::Of(request.headers);
  HttpResponse response = pipeline.Send(std::move(request), context);
  ThrowIfError(response, sent);
  return response;
}

std::string ETagOf(const HttpResponse& response) {
  return std::string(response.Header("ETag").value_or(""));
}

void NoResult(const HttpResponse& /*response*/) {}

// An operation with both a synchronous and an asynchronous form: its request, and how a
// successful answer becomes its result.
template <typename T>
struct Operation {
  PipelineRequest request;
  T (*decode)(const HttpResponse& response);
};

template <typename T>
T Call(HttpPipeline& pipeline, Operation<T> operation, const CallContext& context) {
  return operation.decode(Send(pipeline, std::move(operation.request), context));
}

// Hands the callback the result of `produce`, or what it threw. noexcept: a callback that
// throws ends the process (async_result.h).
template <typename T, typename Produce>
void Deliver(const AsyncCallback<T>& callback, Produce&& produce) noexcept {
  std::optional<AsyncResult<T>> result;
  try {
    if constexpr (std::is_void_v<T>) {
      produce();
      result.emplace();
    } else {
      result.emplace(produce());
    }
  } catch (...) {
    result.emplace(std::current_exception());
  }
  callback(std::move(*result));
}

template <typename T>
void CallAsync(HttpPipeline& pipeline, Operation<T> operation, CallContext context,
               AsyncCallback<T> callback) {
  SentConditions sent = SentConditions::Of(operation.request.headers);
  pipeline.SendAsync(std::move(operation.request), std::move(context),
                     [decode = operation.decode, sent, callback = std::move(callback)](
                         HttpResponse* response, std::exception_ptr failure) {
                       Deliver(callback, [&] {
                         if (failure) std::rethrow_exception(failure);
                         ThrowIfError(*response, sent);
                         return decode(*response);
                       });
                     });
}

void AddPageSize(PipelineRequest& request, const PageOptions& paging) {
  if (paging.max_items_per_page) {
    request.headers.emplace_back("max-items-per-page", std::to_string(*paging.max_items_per_page));
  }
}

// A pager over a list operation: the first page from `first`, later ones from the service's
// absolute nextLink, which is also the continuation token a caller can resume from. The
// max-items-per-page header goes with every page, as the SDKs send it.
template <typename T, typename Decode>
Pager<T> ListPager(std::shared_ptr<HttpPipeline> pipeline, PipelineRequest first,
                   const PageOptions& paging, const CallContext& context, Decode decode) {
  AddPageSize(first, paging);
  auto fetch = [pipeline = std::move(pipeline), first = std::move(first), context,
                decode](const std::optional<std::string>& token) {
    PipelineRequest request = first;
    if (token) request.next_link = *token;
    HttpResponse response = Send(*pipeline, request, context);
    ListPage list = ResponseListPage(response);
    Page<T> page;
    page.items.reserve(list.value.size());
    for (boost::json::value& item : list.value) {
      page.items.push_back(decode(std::move(item), response));
    }
    page.continuation_token = std::move(list.next_link);
    return page;
  };
  return Pager<T>(std::move(fetch), paging.continuation_token);
}

// The query-charge header as a number; nullopt when absent or unreadable (it is advisory).
std::optional<double> QueryCharge(const HttpResponse& response) {
  std::optional<std::string_view> header = response.Header("query-charge");
  if (!header) return std::nullopt;
  double charge = 0;
  auto [end, error] = std::from_chars(header->data(), header->data() + header->size(), charge);
  if (error != std::errc() || end != header->data() + header->size()) return std::nullopt;
  return charge;
}

// Now as RFC 3339 UTC with microseconds, as the Python client stamps Telemetry-Source-Time
// when the caller gives none.
std::string NowRfc3339() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()) %
                std::chrono::seconds(1);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + length, sizeof text - length, ".%06lldZ",
                static_cast<long long>(micros.count()));
  return text;
}

// Telemetry is not idempotent to the retry policy: a resend would be a second event (the
// service deduplicates by Message-Id only where it chooses to).
Operation<void> TelemetryOperation(std::string path, const boost::json::value& payload,
                                   const TelemetryOptions& options) {
  PipelineRequest request = MakeRequest("POST", std::move(path));
  request.headers.emplace_back("Message-Id",
                               options.message_id.empty() ? NewUuid() : options.message_id);
  request.headers.emplace_back("Telemetry-Source-Time", options.source_time.value_or(NowRfc3339()));
  request.body = boost::json::serialize(payload);
  return {std::move(request), NoResult};
}

// ---- the operations with an asynchronous form ----

Operation<boost::json::object> GetOperation(std::string path) {
  return {MakeRequest("GET", std::move(path)), ResponseObject};
}

Operation<boost::json::object> UpsertOperation(std::string path, const boost::json::object& body,
                                               const MatchConditions& conditions) {
  PipelineRequest request = MakeRequest("PUT", std::move(path));
  request.body = boost::json::serialize(body);
  AddConditions(request, conditions);
  return {std::move(request), ResponseObject};
}

Operation<std::string> UpdateOperation(std::string path, const boost::json::array& patch,
                                       const MatchConditions& conditions) {
  return {JsonPatchRequest(std::move(path), patch, conditions), ETagOf};
}

Operation<void> DeleteOperation(std::string path, const MatchConditions& conditions) {
  PipelineRequest request = MakeRequest("DELETE", std::move(path));
  AddConditions(request, conditions);
  return {std::move(request), NoResult};
}

}  // namespace

struct DigitalTwinsClient::Impl {
  // Shared with the pagers, which may outlive the client.
  std::shared_ptr<HttpPipeline> pipeline;
};

DigitalTwinsClient::DigitalTwinsClient(std::string endpoint,
                                       std::shared_ptr<TokenCredential> credential,
                                       DigitalTwinsClientOptions options)
    : impl_(std::make_unique<Impl>(Impl{std::make_shared<HttpPipeline>(
          std::move(endpoint), std::move(credential), std::move(options))})) {}

DigitalTwinsClient::~DigitalTwinsClient() = default;
DigitalTwinsClient::DigitalTwinsClient(DigitalTwinsClient&&) noexcept = default;
DigitalTwinsClient& DigitalTwinsClient::operator=(DigitalTwinsClient&&) noexcept = default;

// ---- models ----

std::vector<ModelData> DigitalTwinsClient::CreateModels(const boost::json::array& models,
                                                        const CallContext& context) {
  PipelineRequest request = MakeRequest("POST", "/models");
  request.body = boost::json::serialize(models);
  HttpResponse response = Send(*impl_->pipeline, request, context);
  std::vector<ModelData> created;
  for (const boost::json::value& item : ResponseArray(response)) {
    created.push_back(ModelDataFromJson(item, response));
  }
  return created;
}

ModelData DigitalTwinsClient::GetModel(std::string_view model_id, bool include_model_definition,
                                       const CallContext& context) {
  PipelineRequest request = MakeRequest("GET", ModelPath(model_id));
  request.query.emplace_back("includeModelDefinition", include_model_definition ? "true" : "false");
  HttpResponse response = Send(*impl_->pipeline, request, context);
  return ModelDataFromJson(ResponseObject(response), response);
}

Pager<ModelData> DigitalTwinsClient::ListModels(const ListModelsOptions& options,
                                                const PageOptions& paging,
                                                const CallContext& context) {
  PipelineRequest request = MakeRequest("GET", "/models");
  request.query.emplace_back("includeModelDefinition",
                             options.include_model_definition ? "true" : "false");
  for (const std::string& model_id : options.dependencies_for) {
    request.query.emplace_back("dependenciesFor", model_id);
  }
  return ListPager<ModelData>(impl_->pipeline, std::move(request), paging, context,
                              ModelDataFromJson);
}

void DigitalTwinsClient::DecommissionModel(std::string_view model_id, const CallContext& context) {
  static const boost::json::array kDecommission = {
      {{"op", "replace"}, {"path", "/decommissioned"}, {"value", true}}};
  Send(*impl_->pipeline, JsonPatchRequest(ModelPath(model_id), kDecommission, {}), context);
}

void DigitalTwinsClient::DeleteModel(std::string_view model_id, const CallContext& context) {
  Send(*impl_->pipeline, MakeRequest("DELETE", ModelPath(model_id)), context);
}

// ---- digital twins ----

boost::json::object DigitalTwinsClient::GetDigitalTwin(std::string_view twin_id,
                                                       const CallContext& context) {
  return Call(*impl_->pipeline, GetOperation(TwinPath(twin_id)), context);
}

boost::json::object DigitalTwinsClient::UpsertDigitalTwin(std::string_view twin_id,
                                                          const boost::json::object& twin,
                                                          const MatchConditions& conditions,
                                                          const CallContext& context) {
  return Call(*impl_->pipeline, UpsertOperation(TwinPath(twin_id), twin, conditions), context);
}

std::string DigitalTwinsClient::UpdateDigitalTwin(std::string_view twin_id,
                                                  const boost::json::array& patch,
                                                  const MatchConditions& conditions,
                                                  const CallContext& context) {
  return Call(*impl_->pipeline, UpdateOperation(TwinPath(twin_id), patch, conditions), context);
}

void DigitalTwinsClient::DeleteDigitalTwin(std::string_view twin_id,
                                           const MatchConditions& conditions,
                                           const CallContext& context) {
  Call(*impl_->pipeline, DeleteOperation(TwinPath(twin_id), conditions), context);
}

// ---- components ----

boost::json::object DigitalTwinsClient::GetComponent(std::string_view twin_id,
                                                     std::string_view component_name,
                                                     const CallContext& context) {
  return Call(*impl_->pipeline, GetOperation(ComponentPath(twin_id, component_name)), context);
}

std::string DigitalTwinsClient::UpdateComponent(std::string_view twin_id,
                                                std::string_view component_name,
                                                const boost::json::array& patch,
                                                const MatchConditions& conditions,
                                                const CallContext& context) {
  return Call(*impl_->pipeline,
              UpdateOperation(ComponentPath(twin_id, component_name), patch, conditions), context);
}

// ---- relationships ----

boost::json::object DigitalTwinsClient::GetRelationship(std::string_view twin_id,
                                                        std::string_view relationship_id,
                                                        const CallContext& context) {
  return Call(*impl_->pipeline, GetOperation(RelationshipPath(twin_id, relationship_id)), context);
}

boost::json::object DigitalTwinsClient::UpsertRelationship(std::string_view twin_id,
                                                           std::string_view relationship_id,
                                                           const boost::json::object& relationship,
                                                           const MatchConditions& conditions,
                                                           const CallContext& context) {
  return Call(*impl_->pipeline,
              UpsertOperation(RelationshipPath(twin_id, relationship_id), relationship, conditions),
              context);
}

std::string DigitalTwinsClient::UpdateRelationship(std::string_view twin_id,
                                                   std::string_view relationship_id,
                                                   const boost::json::array& patch,
                                                   const MatchConditions& conditions,
                                                   const CallContext& context) {
  return Call(*impl_->pipeline,
              UpdateOperation(RelationshipPath(twin_id, relationship_id), patch, conditions),
              context);
}

void DigitalTwinsClient::DeleteRelationship(std::string_view twin_id,
                                            std::string_view relationship_id,
                                            const MatchConditions& conditions,
                                            const CallContext& context) {
  Call(*impl_->pipeline, DeleteOperation(RelationshipPath(twin_id, relationship_id), conditions),
       context);
}

Pager<boost::json::object> DigitalTwinsClient::ListRelationships(std::string_view twin_id,
                                                                 std::string_view relationship_name,
                                                                 const PageOptions& paging,
                                                                 const CallContext& context) {
  PipelineRequest request = MakeRequest("GET", TwinPath(twin_id) + "/relationships");
  if (!relationship_name.empty()) {
    request.query.emplace_back("relationshipName", std::string(relationship_name));
  }
  return ListPager<boost::json::object>(impl_->pipeline, std::move(request), paging, context,
                                        ObjectFromJson);
}

Pager<IncomingRelationship> DigitalTwinsClient::ListIncomingRelationships(
    std::string_view twin_id, const PageOptions& paging, const CallContext& context) {
  return ListPager<IncomingRelationship>(
      impl_->pipeline, MakeRequest("GET", TwinPath(twin_id) + "/incomingrelationships"), paging,
      context, IncomingRelationshipFromJson);
}

// ---- query ----

Pager<boost::json::object> DigitalTwinsClient::QueryTwins(std::string_view query,
                                                          const PageOptions& paging,
                                                          const CallContext& context) {
  PipelineRequest first = MakeRequest("POST", "/query");
  first.idempotent = true;  // a query changes nothing
  AddPageSize(first, paging);
  // Like the SDKs, every page sends the query text too (the service ignores it when a
  // continuation token comes with it).
  auto fetch = [pipeline = impl_->pipeline, first = std::move(first), query = std::string(query),
                context](const std::optional<std::string>& token) {
    PipelineRequest request = first;
    boost::json::object body = {{"query", query}};
    if (token) body["continuationToken"] = *token;
    request.body = boost::json::serialize(body);
    HttpResponse response = Send(*pipeline, request, context);
    QueryPage rows = ResponseQueryPage(response);
    Page<boost::json::object> page;
    page.items.reserve(rows.value.size());
    for (boost::json::value& row : rows.value) {
      page.items.push_back(ObjectFromJson(std::move(row), response));
    }
    page.continuation_token = std::move(rows.continuation_token);
    page.query_charge = QueryCharge(response);
    return page;
  };
  return Pager<boost::json::object>(std::move(fetch), paging.continuation_token);
}

// ---- telemetry ----

void DigitalTwinsClient::PublishTelemetry(std::string_view twin_id,
                                          const boost::json::value& payload,
                                          const TelemetryOptions& options,
                                          const CallContext& context) {
  Call(*impl_->pipeline, TelemetryOperation(TwinPath(twin_id) + "/telemetry", payload, options),
       context);
}

void DigitalTwinsClient::PublishComponentTelemetry(std::string_view twin_id,
                                                   std::string_view component_name,
                                                   const boost::json::value& payload,
                                                   const TelemetryOptions& options,
                                                   const CallContext& context) {
  Call(*impl_->pipeline,
       TelemetryOperation(ComponentPath(twin_id, component_name) + "/telemetry", payload, options),
       context);
}

// ---- asynchronous forms ----

void DigitalTwinsClient::GetDigitalTwinAsync(std::string_view twin_id,
                                             AsyncCallback<boost::json::object> done,
                                             const CallContext& context) {
  CallAsync(*impl_->pipeline, GetOperation(TwinPath(twin_id)), context, std::move(done));
}

void DigitalTwinsClient::UpsertDigitalTwinAsync(std::string_view twin_id,
                                                const boost::json::object& twin,
                                                AsyncCallback<boost::json::object> done,
                                                const MatchConditions& conditions,
                                                const CallContext& context) {
  CallAsync(*impl_->pipeline, UpsertOperation(TwinPath(twin_id), twin, conditions), context,
            std::move(done));
}

void DigitalTwinsClient::UpdateDigitalTwinAsync(std::string_view twin_id,
                                                const boost::json::array& patch,
                                                AsyncCallback<std::string> done,
                                                const MatchConditions& conditions,
                                                const CallContext& context) {
  CallAsync(*impl_->pipeline, UpdateOperation(TwinPath(twin_id), patch, conditions), context,
            std::move(done));
}

void DigitalTwinsClient::DeleteDigitalTwinAsync(std::string_view twin_id, AsyncCallback<void> done,
                                                const MatchConditions& conditions,
                                                const CallContext& context) {
  CallAsync(*impl_->pipeline, DeleteOperation(TwinPath(twin_id), conditions), context,
            std::move(done));
}

void DigitalTwinsClient::GetComponentAsync(std::string_view twin_id,
                                           std::string_view component_name,
                                           AsyncCallback<boost::json::object> done,
                                           const CallContext& context) {
  CallAsync(*impl_->pipeline, GetOperation(ComponentPath(twin_id, component_name)), context,
            std::move(done));
}

void DigitalTwinsClient::UpdateComponentAsync(std::string_view twin_id,
                                              std::string_view component_name,
                                              const boost::json::array& patch,
                                              AsyncCallback<std::string> done,
                                              const MatchConditions& conditions,
                                              const CallContext& context) {
  CallAsync(*impl_->pipeline,
            UpdateOperation(ComponentPath(twin_id, component_name), patch, conditions), context,
            std::move(done));
}

void DigitalTwinsClient::GetRelationshipAsync(std::string_view twin_id,
                                              std::string_view relationship_id,
                                              AsyncCallback<boost::json::object> done,
                                              const CallContext& context) {
  CallAsync(*impl_->pipeline, GetOperation(RelationshipPath(twin_id, relationship_id)), context,
            std::move(done));
}

void DigitalTwinsClient::UpsertRelationshipAsync(std::string_view twin_id,
                                                 std::string_view relationship_id,
                                                 const boost::json::object& relationship,
                                                 AsyncCallback<boost::json::object> done,
                                                 const MatchConditions& conditions,
                                                 const CallContext& context) {
  CallAsync(*impl_->pipeline,
            UpsertOperation(RelationshipPath(twin_id, relationship_id), relationship, conditions),
            context, std::move(done));
}

void DigitalTwinsClient::UpdateRelationshipAsync(std::string_view twin_id,
                                                 std::string_view relationship_id,
                                                 const boost::json::array& patch,
                                                 AsyncCallback<std::string> done,
                                                 const MatchConditions& conditions,
                                                 const CallContext& context) {
  CallAsync(*impl_->pipeline,
            UpdateOperation(RelationshipPath(twin_id, relationship_id), patch, conditions), context,
            std::move(done));
}

void DigitalTwinsClient::DeleteRelationshipAsync(std::string_view twin_id,
                                                 std::string_view relationship_id,
                                                 AsyncCallback<void> done,
                                                 const MatchConditions& conditions,
                                                 const CallContext& context) {
  CallAsync(*impl_->pipeline,
            DeleteOperation(RelationshipPath(twin_id, relationship_id), conditions), context,
            std::move(done));
}

void DigitalTwinsClient::PublishTelemetryAsync(std::string_view twin_id,
                                               const boost::json::value& payload,
                                               AsyncCallback<void> done,
                                               const TelemetryOptions& options,
                                               const CallContext& context) {
  CallAsync(*impl_->pipeline,
            TelemetryOperation(TwinPath(twin_id) + "/telemetry", payload, options), context,
            std::move(done));
}

void DigitalTwinsClient::PublishComponentTelemetryAsync(
    std::string_view twin_id, std::string_view component_name, const boost::json::value& payload,
    AsyncCallback<void> done, const TelemetryOptions& options, const CallContext& context) {
  CallAsync(
      *impl_->pipeline,
      TelemetryOperation(ComponentPath(twin_id, component_name) + "/telemetry", payload, options),
      context, std::move(done));
}

// ---- event routes ----

EventRoute DigitalTwinsClient::GetEventRoute(std::string_view event_route_id,
                                             const CallContext& context) {
  HttpResponse response =
      Send(*impl_->pipeline, MakeRequest("GET", EventRoutePath(event_route_id)), context);
  return EventRouteFromJson(ResponseObject(response), response);
}

void DigitalTwinsClient::UpsertEventRoute(std::string_view event_route_id, const EventRoute& route,
                                          const CallContext& context) {
  PipelineRequest request = MakeRequest("PUT", EventRoutePath(event_route_id));
  request.body = boost::json::serialize(EventRouteToJson(route));
  Send(*impl_->pipeline, request, context);
}

Pager<EventRoute> DigitalTwinsClient::ListEventRoutes(const PageOptions& paging,
                                                      const CallContext& context) {
  return ListPager<EventRoute>(impl_->pipeline, MakeRequest("GET", "/eventroutes"), paging, context,
                               EventRouteFromJson);
}

void DigitalTwinsClient::DeleteEventRoute(std::string_view event_route_id,
                                          const CallContext& context) {
  Send(*impl_->pipeline, MakeRequest("DELETE", EventRoutePath(event_route_id)), context);
}

// ---- dtwin extensions: event endpoints and dead letters ----

std::vector<EndpointInfo> DigitalTwinsClient::ListEndpoints(const CallContext& context) {
  // One answer holds every endpoint (a server has a handful): no nextLink to follow.
  HttpResponse response =
      Send(*impl_->pipeline, MakeRequest("GET", "/extensions/endpoints"), context);
  std::vector<EndpointInfo> endpoints;
  for (const boost::json::value& item : ResponseListPage(response).value) {
    endpoints.push_back(EndpointInfoFromJson(item, response));
  }
  return endpoints;
}

EndpointInfo DigitalTwinsClient::GetEndpoint(std::string_view endpoint_name,
                                             const CallContext& context) {
  HttpResponse response =
      Send(*impl_->pipeline, MakeRequest("GET", EndpointPath(endpoint_name)), context);
  return EndpointInfoFromJson(ResponseObject(response), response);
}

Pager<DeadLetter> DigitalTwinsClient::ListDeadLetters(std::string_view endpoint_name,
                                                      const PageOptions& paging,
                                                      const CallContext& context) {
  return ListPager<DeadLetter>(impl_->pipeline,
                               MakeRequest("GET", EndpointPath(endpoint_name) + "/deadletters"),
                               paging, context, DeadLetterFromJson);
}

size_t DigitalTwinsClient::ReplayDeadLetters(std::string_view endpoint_name,
                                             const CallContext& context) {
  PipelineRequest request =
      MakeRequest("POST", EndpointPath(endpoint_name) + "/deadletters/replay");
  return ResponseReplayedCount(Send(*impl_->pipeline, request, context));
}

}  // namespace dtwin::client
