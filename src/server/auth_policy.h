// Authorization as ADT defines it: the data actions of the data plane, the two built-in roles
// that grant them, and the one table saying which data action each API route needs
// (reference/adt-api.md section 10). Immutable after construction; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "server/http_message.h"
#include "server/router.h"

namespace dtwin::server {

enum class DataAction : uint8_t {
  kQuery,
  kTwinsRead,
  kTwinsWrite,
  kTwinsDelete,
  kTwinsCommands,
  kRelationshipsRead,
  kRelationshipsWrite,
  kRelationshipsDelete,
  kEventRoutesRead,
  kEventRoutesWrite,
  kEventRoutesDelete,
  kModelsRead,
  kModelsWrite,
  kModelsDelete,
  kJobsImportRead,
  kJobsImportWrite,
  kJobsImportDelete,
  kJobsImportsRead,
  kJobsDeletionsRead,
  kJobsDeletionsWrite,
};

// "Microsoft.DigitalTwins/digitaltwins/read".
std::string_view DataActionName(DataAction action);

enum class Role : uint8_t { kDataOwner, kDataReader };

// "Azure Digital Twins Data Owner".
std::string_view RoleName(Role role);

// A role as a token's roles claim or the config names it: the display name ("Azure Digital
// Twins Data Owner"), the role definition id (bcd981a7-...), or the short form "DataOwner" /
// "DataReader" (Entra app-role values cannot contain spaces). Exact spelling; nullopt
// otherwise.
std::optional<Role> ParseRole(std::string_view name);

// Whether role's dataActions (with their "/*" wildcards) include action.
bool RoleGrants(Role role, DataAction action);

// The data action every API route needs, by method and path pattern.
class DataActionTable {
 public:
  DataActionTable();

  // The action of the route that method and path match; nullopt for a path that is no API
  // route (the dispatcher answers those 404/405 before asking).
  std::optional<DataAction> Find(HttpMethod method, std::string_view path) const;

 private:
  // Reuses the API router's matching (case-insensitive fixed segments, encoded captures) so
  // the two can never disagree on which route a path is; each entry's handler is an
  // ActionEntry that only carries the action.
  Router router_;
};

}  // namespace dtwin::server
