// Event routes: create-or-replace with id, endpoint and filter checks, read, list and
// delete (adt-api.md 3.8). Routing events through them is the events subsystem's job.
#include <boost/json/object.hpp>
#include <mutex>
#include <shared_mutex>

#include "events/route_filter.h"
#include "service/digital_twins_service.h"
#include "service/instance_state.h"
#include "service/paging.h"
#include "service/store_records.h"

namespace dtwin::service {

namespace json = boost::json;

namespace {

// ADT documents no rule for route ids beyond "unique and case-sensitive"; these keep ids
// safe in URLs, logs and file names and fit every id the documentation shows.
constexpr size_t kMaxRouteIdLength = 50;

Status CheckRouteId(std::string_view id) {
  bool valid = !id.empty() && id.size() <= kMaxRouteIdLength;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_')) {
      valid = false;
    }
  }
  if (valid) return Status::Ok();
  return Status(ErrorCode::kEventRouteIdInvalid,
                "The event route id '" + std::string(id) + "' is invalid: use 1 to " +
                    std::to_string(kMaxRouteIdLength) + " letters, digits, '-' or '_'");
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// The route body {"endpointName": "...", "filter": "..."} checked against the configured
// endpoints and the filter language.
Result<EventRoute> RouteOf(std::string_view id, const json::value& body,
                           const ServiceOptions& options) {
  if (!body.is_object()) {
    return Status(ErrorCode::kInvalidArgument,
                  "The event route must be a JSON object {\"endpointName\": \"...\", "
                  "\"filter\": \"...\"}");
  }
  const json::object& object = body.get_object();
  const json::value* endpoint = object.if_contains("endpointName");
  if (endpoint == nullptr || !endpoint->is_string() || endpoint->get_string().empty()) {
    return Status(ErrorCode::kEventRouteEndpointInvalid,
                  "\"endpointName\" is required: the name of a configured endpoint");
  }
  const std::string endpoint_name(endpoint->get_string());
  if (std::find(options.endpoint_names.begin(), options.endpoint_names.end(), endpoint_name) ==
      options.endpoint_names.end()) {
    return Status(
        ErrorCode::kEventRouteEndpointInvalid,
        "endpoint " + endpoint_name + " is not configured; declare it with --endpoint NAME=URL");
  }
  const json::value* filter = object.if_contains("filter");
  if (filter == nullptr || !filter->is_string() || IsBlank(filter->get_string())) {
    return Status(ErrorCode::kEventRouteFilterInvalid,
                  "\"filter\" is required: a filter expression, or \"true\" to route every event");
  }
  const std::string filter_text(filter->get_string());
  if (auto parsed = RouteFilter::Parse(filter_text); !parsed.ok()) {
    return std::move(parsed).status();
  }
  return EventRoute{std::string(id), endpoint_name, filter_text};
}

Status EventRouteNotFound(std::string_view id) {
  return Status(ErrorCode::kEventRouteNotFound,
                "There is no event route with the id " + std::string(id) + ".");
}

}  // namespace

void DigitalTwinsService::PutEventRoute(std::string_view id, const json::value& body,
                                        StatusCompletion done) {
  InstanceState& state = *impl_;
  state.WriteStatus(
      [&](storage::WriteBatch& batch) -> Status {
        if (Status valid = CheckRouteId(id); !valid.ok()) return valid;
        Result<EventRoute> route = RouteOf(id, body, state.options);
        if (!route.ok()) return std::move(route).status();
        const bool exists = state.routes.find(id) != state.routes.end();
        if (!exists && state.routes.size() >= state.options.max_event_routes) {
          return Status(ErrorCode::kLimitExceeded,
                        "The instance already has " + std::to_string(state.routes.size()) +
                            " event routes, the most allowed; delete one first");
        }
        batch.mutations.push_back(
            {storage::Mutation::Kind::kPutRoute, std::string(id), "", EncodeRouteRecord(*route)});
        state.routes[std::string(id)] = std::move(route).value();
        return Status::Ok();
      },
      std::move(done));
}

Result<EventRoute> DigitalTwinsService::GetEventRoute(std::string_view id) const {
  const InstanceState& state = *impl_;
  std::shared_lock lock(state.mu);
  auto it = state.routes.find(id);
  if (it == state.routes.end()) return EventRouteNotFound(id);
  return it->second;
}

Result<Page<EventRoute>> DigitalTwinsService::ListEventRoutes(const PageRequest& page) const {
  const InstanceState& state = *impl_;
  std::shared_lock lock(state.mu);
  std::vector<const EventRoute*> routes;
  routes.reserve(state.routes.size());
  for (const auto& [id, route] : state.routes) routes.push_back(&route);
  return PageOf<EventRoute>(
      routes, "eventroutes", 1, page, state.options,
      [](const EventRoute* route) { return PageKey{route->id}; },
      [](const EventRoute* route) { return *route; });
}

void DigitalTwinsService::DeleteEventRoute(std::string_view id, StatusCompletion done) {
  InstanceState& state = *impl_;
  state.WriteStatus(
      [&](storage::WriteBatch& batch) -> Status {
        auto it = state.routes.find(id);
        if (it == state.routes.end()) return EventRouteNotFound(id);
        state.routes.erase(it);
        batch.mutations.push_back({storage::Mutation::Kind::kDeleteRoute, std::string(id), "", ""});
        return Status::Ok();
      },
      std::move(done));
}

}  // namespace dtwin::service
