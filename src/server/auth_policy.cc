// Data actions, roles and the route -> data action table.
#include "server/auth_policy.h"

#include <array>
#include <string>

namespace dtwin::server {
namespace {

constexpr std::string_view kActionNames[] = {
    "Microsoft.DigitalTwins/query/action",
    "Microsoft.DigitalTwins/digitaltwins/read",
    "Microsoft.DigitalTwins/digitaltwins/write",
    "Microsoft.DigitalTwins/digitaltwins/delete",
    "Microsoft.DigitalTwins/digitaltwins/commands/action",
    "Microsoft.DigitalTwins/digitaltwins/relationships/read",
    "Microsoft.DigitalTwins/digitaltwins/relationships/write",
    "Microsoft.DigitalTwins/digitaltwins/relationships/delete",
    "Microsoft.DigitalTwins/eventroutes/read",
    "Microsoft.DigitalTwins/eventroutes/write",
    "Microsoft.DigitalTwins/eventroutes/delete",
    "Microsoft.DigitalTwins/models/read",
    "Microsoft.DigitalTwins/models/write",
    "Microsoft.DigitalTwins/models/delete",
    "Microsoft.DigitalTwins/jobs/import/read",
    "Microsoft.DigitalTwins/jobs/import/write",
    "Microsoft.DigitalTwins/jobs/import/delete",
    "Microsoft.DigitalTwins/jobs/imports/read",
    "Microsoft.DigitalTwins/jobs/deletions/read",
    "Microsoft.DigitalTwins/jobs/deletions/write",
};

// The roles' dataActions exactly as ADT defines them (adt-api.md section 10).
constexpr std::string_view kOwnerActions[] = {"Microsoft.DigitalTwins/digitaltwins/*",
                                              "Microsoft.DigitalTwins/digitaltwins/commands/*",
                                              "Microsoft.DigitalTwins/digitaltwins/relationships/*",
                                              "Microsoft.DigitalTwins/eventroutes/*",
                                              "Microsoft.DigitalTwins/jobs/*",
                                              "Microsoft.DigitalTwins/models/*",
                                              "Microsoft.DigitalTwins/query/*"};
constexpr std::string_view kReaderActions[] = {
    "Microsoft.DigitalTwins/digitaltwins/read",
    "Microsoft.DigitalTwins/digitaltwins/relationships/read",
    "Microsoft.DigitalTwins/eventroutes/read",
    "Microsoft.DigitalTwins/jobs/import/read",
    "Microsoft.DigitalTwins/jobs/imports/read",
    "Microsoft.DigitalTwins/jobs/deletions/read",
    "Microsoft.DigitalTwins/models/read",
    "Microsoft.DigitalTwins/query/action"};

struct RoleNames {
  Role role;
  std::string_view display_name;
  std::string_view id;
  std::string_view short_name;
};
constexpr RoleNames kRoles[] = {
    {Role::kDataOwner, "Azure Digital Twins Data Owner", "bcd981a7-7f74-457b-83e1-cceb9e632ffe",
     "DataOwner"},
    {Role::kDataReader, "Azure Digital Twins Data Reader", "d57506d4-4c8d-48b1-8587-93c323f6a5a3",
     "DataReader"},
};

// An Azure RBAC action pattern: exact, or "prefix/*" for everything below prefix.
bool PatternCovers(std::string_view pattern, std::string_view action) {
  if (pattern.ends_with("/*")) {
    pattern.remove_suffix(1);
    return action.starts_with(pattern);
  }
  return pattern == action;
}

// A router handler that is never called: it carries the route's data action for Find.
struct ActionEntry {
  DataAction action;
  void operator()(const RequestContext&, Responder) const {}
};

struct RouteAction {
  HttpMethod method;
  std::string_view pattern;
  DataAction action;
};

// Every route of BuildApiRouter. Telemetry needs digitaltwins/write: ADT lists no action of
// its own for it (adt-api.md section 10).
constexpr RouteAction kRouteActions[] = {
    {HttpMethod::kPost, "/models", DataAction::kModelsWrite},
    {HttpMethod::kGet, "/models", DataAction::kModelsRead},
    {HttpMethod::kGet, "/models/{id}", DataAction::kModelsRead},
    {HttpMethod::kPatch, "/models/{id}", DataAction::kModelsWrite},
    {HttpMethod::kDelete, "/models/{id}", DataAction::kModelsDelete},
    {HttpMethod::kPost, "/query", DataAction::kQuery},
    {HttpMethod::kGet, "/digitaltwins/{id}", DataAction::kTwinsRead},
    {HttpMethod::kPut, "/digitaltwins/{id}", DataAction::kTwinsWrite},
    {HttpMethod::kPatch, "/digitaltwins/{id}", DataAction::kTwinsWrite},
    {HttpMethod::kDelete, "/digitaltwins/{id}", DataAction::kTwinsDelete},
    {HttpMethod::kGet, "/digitaltwins/{id}/components/{component}", DataAction::kTwinsRead},
    {HttpMethod::kPatch, "/digitaltwins/{id}/components/{component}", DataAction::kTwinsWrite},
    {HttpMethod::kPost, "/digitaltwins/{id}/telemetry", DataAction::kTwinsWrite},
    {HttpMethod::kPost, "/digitaltwins/{id}/components/{component}/telemetry",
     DataAction::kTwinsWrite},
    {HttpMethod::kGet, "/digitaltwins/{id}/relationships", DataAction::kRelationshipsRead},
    {HttpMethod::kGet, "/digitaltwins/{id}/incomingrelationships", DataAction::kRelationshipsRead},
    {HttpMethod::kGet, "/digitaltwins/{id}/relationships/{relationshipId}",
     DataAction::kRelationshipsRead},
    {HttpMethod::kPut, "/digitaltwins/{id}/relationships/{relationshipId}",
     DataAction::kRelationshipsWrite},
    {HttpMethod::kPatch, "/digitaltwins/{id}/relationships/{relationshipId}",
     DataAction::kRelationshipsWrite},
    {HttpMethod::kDelete, "/digitaltwins/{id}/relationships/{relationshipId}",
     DataAction::kRelationshipsDelete},
    {HttpMethod::kGet, "/eventroutes", DataAction::kEventRoutesRead},
    {HttpMethod::kGet, "/eventroutes/{id}", DataAction::kEventRoutesRead},
    {HttpMethod::kPut, "/eventroutes/{id}", DataAction::kEventRoutesWrite},
    {HttpMethod::kDelete, "/eventroutes/{id}", DataAction::kEventRoutesDelete},
    // dtwin extensions: the endpoints routes deliver to, and their dead letters.
    {HttpMethod::kGet, "/extensions/endpoints", DataAction::kEventRoutesRead},
    {HttpMethod::kGet, "/extensions/endpoints/{name}", DataAction::kEventRoutesRead},
    {HttpMethod::kGet, "/extensions/endpoints/{name}/deadletters", DataAction::kEventRoutesRead},
    {HttpMethod::kPost, "/extensions/endpoints/{name}/deadletters/replay",
     DataAction::kEventRoutesWrite},
};

}  // namespace

std::string_view DataActionName(DataAction action) {
  return kActionNames[static_cast<size_t>(action)];
}

std::string_view RoleName(Role role) { return kRoles[static_cast<size_t>(role)].display_name; }

std::optional<Role> ParseRole(std::string_view name) {
  for (const RoleNames& names : kRoles) {
    if (name == names.display_name || name == names.id || name == names.short_name) {
      return names.role;
    }
  }
  return std::nullopt;
}

bool RoleGrants(Role role, DataAction action) {
  const std::string_view name = DataActionName(action);
  auto covers = [name](const auto& patterns) {
    for (std::string_view pattern : patterns) {
      if (PatternCovers(pattern, name)) return true;
    }
    return false;
  };
  return role == Role::kDataOwner ? covers(kOwnerActions) : covers(kReaderActions);
}

DataActionTable::DataActionTable() {
  for (const RouteAction& route : kRouteActions) {
    router_.Add(route.method, route.pattern, ActionEntry{route.action});
  }
}

std::optional<DataAction> DataActionTable::Find(HttpMethod method, std::string_view path) const {
  RouteMatch match = router_.Match(method, path);
  if (match.kind != RouteMatch::Kind::kFound) return std::nullopt;
  return match.handler->target<ActionEntry>()->action;
}

}  // namespace dtwin::server
