// The JSON Patch bodies of Twin.Update and Relationship.Update notifications: a client's
// patch with full paths (a component patch's paths start with the component), and the
// difference a create-or-replace (PUT) made to an existing twin or relationship. Stateless;
// thread-safe.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "common/json_patch.h"

namespace dtwin::service {

// [{"value":..., "path":..., "op":...}, ...] (ADT's member order), paths rebuilt from the
// operations' tokens.
boost::json::array NotificationPatch(const JsonPatch& patch);

// The operations that turn before into after: add / replace / remove per property, descending
// into objects present in both (so a component's or a map's changed entry is one operation).
// The service's own members ($dtId, $etag, $metadata, $lastUpdateTime and a relationship's
// $relationshipId, $sourceId, $targetId, $relationshipName) are not part of it; a model change
// shows in the notification's modelId.
boost::json::array ChangePatch(const boost::json::object& before, const boost::json::object& after);

}  // namespace dtwin::service
