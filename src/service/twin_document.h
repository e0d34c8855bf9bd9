// The stored ADT twin document (adt-api.md 4.1) and its $metadata bookkeeping: building a
// document from a PUT body, stamping components and properties with their lastUpdateTime,
// and the per-value service limits. Stateless functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "common/status.h"
#include "dtdl/element.h"

namespace dtwin::service {

// The content of interface named name (inherited ones included) if it is of element_class;
// nullptr otherwise.
const dtdl::Element* FindContentOf(const dtdl::Element& interface, std::string_view name,
                                   dtdl::ElementClass element_class);

// ADT's per-value limits on a twin or relationship body, at any depth: string values at
// most 4 KB and member names at most 1 KB (UTF-8 bytes). kValidationFailed naming the
// place; what is "twin" or "relationship".
Status CheckSizeLimits(const boost::json::value& body, std::string_view what);

// A client-written $metadata.<property>.sourceTime must be an RFC 3339 date-time string.
// where names it in the error ("/$metadata/temp/sourceTime").
Status CheckSourceTime(const boost::json::value& value, std::string_view where);

// The document PUT stores: "$dtId" = id, "$etag" = etag, the body's properties and
// components, and "$metadata" with "$model", "$lastUpdateTime" = now and every property's
// lastUpdateTime = now. The client's sourceTime of each present property is kept; other
// client metadata and system members are dropped. body must have passed ValidateTwin
// against interface; fails (kValidationFailed) only on an invalid sourceTime.
Result<boost::json::object> BuildTwinDocument(std::string_view id, std::string_view etag,
                                              std::string_view model_id,
                                              const boost::json::object& body,
                                              const dtdl::Element& interface, std::string_view now);

// A component as stored: its properties, and "$metadata" with "$lastUpdateTime" = now and
// every property's lastUpdateTime = now (keeping the client's sourceTime). where names the
// component in errors ("/thermostat").
Result<boost::json::object> StampComponent(const boost::json::object& component,
                                           std::string_view now, std::string_view where);

// metadata[name].lastUpdateTime = now, creating the entry and keeping its sourceTime.
void TouchProperty(boost::json::object& metadata, std::string_view name, std::string_view now);

}  // namespace dtwin::service
