// JSON renderings of the service's domain values as ADT puts them on the wire (model data,
// event routes, incoming relationships) and the per-api-version adjustments of twin
// documents. Stateless; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "server/api_version.h"
#include "service/digital_twins_service.h"

namespace dtwin::server {

// {"id","description","displayName","decommissioned","uploadTime","model"?} in ADT's key
// order; "model" only when the service filled it (includeModelDefinition=true).
boost::json::object ModelInfoToJson(const service::ModelInfo& model);

// {"id","endpointName","filter"}.
boost::json::object EventRouteToJson(const service::EventRoute& route);

// {"$relationshipId","$sourceId","$relationshipName","$relationshipLink"}.
boost::json::object IncomingRelationshipToJson(const service::IncomingRelationship& incoming,
                                               std::string relationship_link);

// Adjusts a stored twin for the request's api-version: 2020-10-31 has no $lastUpdateTime in
// the twin's or its components' $metadata (recorded traffic).
void RenderTwinForVersion(boost::json::object& twin, ApiVersion version);
// The same for a component document (GET .../components/{c}).
void RenderComponentForVersion(boost::json::object& component, ApiVersion version);

}  // namespace dtwin::server
