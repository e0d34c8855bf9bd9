// Domain value -> ADT JSON.
#include "server/adt_codec.h"

#include <boost/json/value.hpp>

#include "common/clock.h"

namespace dtwin::server {

namespace {

void EraseLastUpdateTime(boost::json::object& document) {
  if (boost::json::value* metadata = document.if_contains("$metadata")) {
    if (boost::json::object* fields = metadata->if_object()) fields->erase("$lastUpdateTime");
  }
}

}  // namespace

boost::json::object ModelInfoToJson(const service::ModelInfo& model) {
  boost::json::object json;
  json["id"] = model.id;
  json["description"] = model.description;
  json["displayName"] = model.display_name;
  json["decommissioned"] = model.decommissioned;
  json["uploadTime"] = FormatAdtTimeWithOffset(model.upload_time);
  if (model.model) json["model"] = *model.model;
  return json;
}

boost::json::object EventRouteToJson(const service::EventRoute& route) {
  boost::json::object json;
  json["id"] = route.id;
  json["endpointName"] = route.endpoint_name;
  json["filter"] = route.filter;
  return json;
}

boost::json::object IncomingRelationshipToJson(const service::IncomingRelationship& incoming,
                                               std::string relationship_link) {
  boost::json::object json;
  json["$relationshipId"] = incoming.relationship_id;
  json["$sourceId"] = incoming.source_id;
  json["$relationshipName"] = incoming.relationship_name;
  json["$relationshipLink"] = std::move(relationship_link);
  return json;
}

void RenderTwinForVersion(boost::json::object& twin, ApiVersion version) {
  if (version != ApiVersion::k2020_10_31) return;
  EraseLastUpdateTime(twin);
  // Components are the top-level objects that carry their own $metadata.
  for (auto& member : twin) {
    if (member.key() == "$metadata") continue;
    if (boost::json::object* component = member.value().if_object()) {
      if (component->contains("$metadata")) EraseLastUpdateTime(*component);
    }
  }
}

void RenderComponentForVersion(boost::json::object& component, ApiVersion version) {
  if (version == ApiVersion::k2020_10_31) EraseLastUpdateTime(component);
}

}  // namespace dtwin::server
