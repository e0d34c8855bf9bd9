// Validates JSON values against resolved DTDL elements: a schema value, a whole twin
// document, relationship properties, telemetry payloads. Stateless functions over
// immutable elements; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "dtdl/element.h"

namespace dtwin::dtdl {

// One reason a value does not conform: where (JSON Pointer relative to the validated value,
// e.g. "/pos/x") and why ("expected a number, got string \"hot\"").
struct InstanceProblem {
  std::string pointer;
  std::string message;
};

// Checks value against a schema element (primitive, geospatial, Array, Enum, Map, Object) or
// a schema-bearing element (Property, Telemetry, Field, MapValue...: its schema is used).
// Wire rules as the reference parser: integer/long must be integral JSON numbers in range
// (1.0 and 1e2 are not), float/double finite, dates/times/durations by their ISO 8601
// forms, Enum by wire value, Object members must be known fields (all optional), Map values
// by mapValue, geospatial as GeoJSON geometries ({"type": "Point", "coordinates": [...]},
// both members required, no others). Returns every problem found (empty = conforms); does
// not allocate when the value conforms. An element without values (Interface, Component,
// Command, Relationship) gives one problem saying so (the reference parser throws there).
std::vector<InstanceProblem> ValidateValue(const Element& schema, const boost::json::value& value);

// Looks up a registered, resolved Interface by DTMI; nullptr when unknown.
using InterfaceLookup = std::function<const Element*(const std::string& id)>;

// Validates a twin document against its Interface (twin["$metadata"]["$model"] is not
// read here: the caller resolves the model): every non-$ member must be a Property or a
// Component of the Interface (inherited included; Relationship, Telemetry and Command names
// are rejected as such); the only $ members are "$dtId", "$etag", "$lastUpdateTime" (strings)
// and "$metadata"; Property values must conform; every Component must be present with a
// "$metadata" object and its own properties valid; "$metadata" must be an object whose
// members are "$model", "$lastUpdateTime" or Property (or Component) names mapping to
// objects (a component's "$metadata": "$lastUpdateTime" or its property names).
// On failure: one kValidationFailed whose message is "Invalid twin specified: " followed by
// the problems ("Property 'temp': expected a number, got string \"hot\""; the first 10),
// with one detail per problem.
Status ValidateTwin(const Element& interface, const boost::json::value& twin);

// Validates relationship properties (non-$ members of a relationship body; $ members are
// not looked at) against the Relationship element. Failure as ValidateTwin ("Invalid
// relationship specified: ...").
Status ValidateRelationshipProperties(const Element& relationship, const boost::json::value& body);

// Validates a telemetry payload: each member must be a Telemetry of the Interface and
// conform to its schema; a member named after a Component may hold an object of that
// component's telemetry. Pass a component's Interface to validate its payload directly.
// Failure as ValidateTwin ("Invalid telemetry specified: ...").
Status ValidateTelemetry(const Element& interface, const boost::json::value& payload);

}  // namespace dtwin::dtdl
