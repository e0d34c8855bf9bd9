// Names and HTTP statuses of the ADT error codes.
#include "common/status.h"

namespace dtwin {

namespace {

struct CodeInfo {
  std::string_view name;
  int http_status;
};

CodeInfo InfoOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return {"OK", 200};
    case ErrorCode::kBadRequest: return {"BadRequest", 400};
    case ErrorCode::kInvalidArgument: return {"InvalidArgument", 400};
    case ErrorCode::kMissingArgument: return {"MissingArgument", 400};
    case ErrorCode::kDtdlParserError: return {"DTDLParserError", 400};
    case ErrorCode::kModelVersionNotSupported: return {"ModelVersionNotSupported", 400};
    case ErrorCode::kLimitExceeded: return {"LimitExceeded", 400};
    case ErrorCode::kJsonPatchInvalid: return {"JsonPatchInvalid", 400};
    case ErrorCode::kModelDecommissioned: return {"ModelDecommissioned", 400};
    case ErrorCode::kTwinLimitReached: return {"TwinLimitReached", 400};
    case ErrorCode::kValidationFailed: return {"ValidationFailed", 400};
    case ErrorCode::kRelationshipsNotDeleted: return {"RelationshipsNotDeleted", 400};
    case ErrorCode::kInvalidRelationship: return {"InvalidRelationship", 400};
    case ErrorCode::kOperationNotAllowed: return {"OperationNotAllowed", 400};
    case ErrorCode::kSqlQueryError: return {"SqlQueryError", 400};
    case ErrorCode::kTimeoutError: return {"TimeoutError", 400};
    case ErrorCode::kEventRouteEndpointInvalid: return {"EventRouteEndpointInvalid", 400};
    case ErrorCode::kEventRouteFilterInvalid: return {"EventRouteFilterInvalid", 400};
    case ErrorCode::kEventRouteIdInvalid: return {"EventRouteIdInvalid", 400};
    case ErrorCode::kJobLimitReached: return {"JobLimitReached", 400};
    case ErrorCode::kUnauthorized: return {"Unauthorized", 401};
    case ErrorCode::kForbidden: return {"Forbidden", 403};
    case ErrorCode::kNotFound: return {"NotFound", 404};
    case ErrorCode::kModelNotFound: return {"ModelNotFound", 404};
    case ErrorCode::kDigitalTwinNotFound: return {"DigitalTwinNotFound", 404};
    case ErrorCode::kRelationshipNotFound: return {"RelationshipNotFound", 404};
    case ErrorCode::kTargetTwinNotFound: return {"TargetDigitalTwinNotFound", 404};
    case ErrorCode::kComponentNotFound: return {"ComponentNotFound", 404};
    case ErrorCode::kEventRouteNotFound: return {"EventRouteNotFound", 404};
    case ErrorCode::kImportJobNotFound: return {"ImportJobNotFound", 404};
    case ErrorCode::kDeleteJobNotFound: return {"DeleteJobNotFound", 404};
    case ErrorCode::kModelAlreadyExists: return {"ModelIdAlreadyExists", 409};
    case ErrorCode::kModelReferencesNotDecommissioned:
      return {"ModelReferencesNotDecommissioned", 409};
    case ErrorCode::kModelReferencesNotDeleted: return {"ModelReferencesNotDeleted", 409};
    case ErrorCode::kRelationshipAlreadyExists: return {"RelationshipAlreadyExists", 409};
    case ErrorCode::kPreconditionFailed: return {"PreconditionFailed", 412};
    case ErrorCode::kPayloadTooLarge: return {"PayloadTooLarge", 413};
    case ErrorCode::kQuotaReachedError: return {"QuotaReachedError", 429};
    case ErrorCode::kInternal: return {"InternalServerError", 500};
    case ErrorCode::kServiceUnavailable: return {"ServiceUnavailable", 503};
  }
  return {"InternalServerError", 500};
}

}  // namespace

std::string_view ErrorCodeName(ErrorCode code) { return InfoOf(code).name; }

int HttpStatusOf(ErrorCode code) { return InfoOf(code).http_status; }

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(ErrorCodeName(code_));
  out += ": ";
  out += message_;
  return out;
}

}  // namespace dtwin
