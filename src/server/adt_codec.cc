// Domain value -> ADT JSON.
#include "server/adt_codec.h"

#include <boost/json/value.hpp>
#include <cstdio>
#include <ctime>

namespace dtwin::server {

namespace {

void EraseLastUpdateTime(boost::json::object& document) {
  if (boost::json::value* metadata = document.if_contains("$metadata")) {
    if (boost::json::object* fields = metadata->if_object()) fields->erase("$lastUpdateTime");
  }
}

}  // namespace

std::string FormatUploadTime(std::chrono::system_clock::time_point time) {
  using std::chrono::duration_cast;
  auto since_epoch = duration_cast<std::chrono::nanoseconds>(time.time_since_epoch());
  auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
  long long ticks = (since_epoch - seconds).count() / 100;  // 100 ns units: 7 digits
  std::time_t whole = static_cast<std::time_t>(seconds.count());
  std::tm utc{};
  gmtime_r(&whole, &utc);
  char text[96];
  std::snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d.%07lld+00:00",
                utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                utc.tm_sec, ticks);
  return text;
}

boost::json::object ModelInfoToJson(const service::ModelInfo& model) {
  boost::json::object json;
  json["id"] = model.id;
  json["description"] = model.description;
  json["displayName"] = model.display_name;
  json["decommissioned"] = model.decommissioned;
  json["uploadTime"] = FormatUploadTime(model.upload_time);
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
