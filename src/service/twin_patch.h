// A JSON Patch of a twin as ADT applies it (adt-api.md section 5): which paths may be
// written, model migration, and the metadata bookkeeping of the result. PatchTwinDocument
// only reads the registry; CommitTwinPatch changes the instance and needs its lock held
// exclusively.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "common/json_patch.h"
#include "common/status.h"
#include "dtdl/model_registry.h"
#include "graph/twin_graph.h"
#include "service/instance_state.h"
#include "storage/store.h"

namespace dtwin::service {

// Applies patch to the stored twin document current, all or nothing. The patch's tokens
// are relative to the twin (a component patch has its tokens prefixed with the component
// name by the caller; its path texts stay as the client sent them, for messages).
//
// Writable paths: properties and their sub-values (/p, /p/sub, /component/p, /component/p/sub,
// a whole /component), replace of /$metadata/$model (migration: the result is validated
// against the new model), /$metadata/<p>/sourceTime and /<component>/$metadata/<p>/sourceTime.
// Anything else starting with '$' is kJsonPatchInvalid. The result is validated against its
// model (kValidationFailed), "$metadata.$lastUpdateTime" and every touched property's
// lastUpdateTime (and its component's "$lastUpdateTime") become now, and the metadata of
// removed properties is dropped. "$etag" is left for the caller.
//
// A twin whose model was deleted can only be patched by a migration (kValidationFailed
// otherwise); migrating to an unknown model is kValidationFailed, to a decommissioned one
// kModelDecommissioned.
Result<boost::json::object> PatchTwinDocument(const boost::json::object& current, JsonPatch patch,
                                              const dtdl::ModelRegistry& models,
                                              std::string_view now);

// PATCH of a twin or of one of its components, once the twin is found and the
// preconditions hold: patches twin's document, gives it a new etag, replaces it in the
// graph and adds it to batch. Returns the new etag.
Result<std::string> CommitTwinPatch(InstanceState& state, const graph::Twin& twin, JsonPatch patch,
                                    storage::WriteBatch& batch);

}  // namespace dtwin::service
