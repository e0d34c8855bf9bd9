// The errors the service answers with in more than one operation, worded as ADT words them
// (adt-api.md section 14), and the If-Match / If-None-Match rules. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "service/digital_twins_service.h"

namespace dtwin::service {

Status TwinNotFound(std::string_view twin_id);
Status RelationshipNotFound(std::string_view source_id, std::string_view relationship_id);
// kModelNotFound, or kInvalidArgument when model_id is not even a DTMI (as ADT answers).
Status ModelNotFound(std::string_view model_id);
Status ComponentNotFound(std::string_view twin_id, std::string_view component);

// The twin's model was deleted: it can be read and deleted, not edited, until a PATCH of
// /$metadata/$model or a PUT assigns it a model again.
Status ModelOfTwinDeleted(std::string_view twin_id, std::string_view model_id);

// Preconditions of a write to a twin (current_etag nullptr when it does not exist):
// If-None-Match: * fails when it exists; If-Match: * when it does not; If-Match: <etag> when
// it does not exist or has another etag. Etags compare weakly (W/ ignored). 412 on failure.
Status CheckTwinPreconditions(const Preconditions& pre, const std::string* current_etag,
                              std::string_view twin_id);
Status CheckRelationshipPreconditions(const Preconditions& pre, const std::string* current_etag,
                                      std::string_view source_id, std::string_view relationship_id);

}  // namespace dtwin::service
