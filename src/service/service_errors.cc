// ADT's error texts and the conditional-request rules shared by twin, component and
// relationship writes.
#include "service/service_errors.h"

#include "dtdl/dtmi.h"

namespace dtwin::service {

namespace {

std::string_view WithoutWeakPrefix(std::string_view etag) {
  return etag.starts_with("W/") ? etag.substr(2) : etag;
}

// what: "twin foo" or "relationship r on twin foo" (for If-Match messages);
// exists_message: ADT's text for If-None-Match: * on an existing entity.
Status CheckPreconditions(const Preconditions& pre, const std::string* current_etag,
                          const std::string& what, const std::string& exists_message) {
  if (pre.if_none_match_any && current_etag != nullptr) {
    return Status(ErrorCode::kPreconditionFailed, exists_message);
  }
  if (!pre.if_match) return Status::Ok();
  if (current_etag == nullptr) {
    return Status(
        ErrorCode::kPreconditionFailed,
        "If-Match: " + *pre.if_match + " header was specified but " + what + " does not exist.");
  }
  if (*pre.if_match != "*" &&
      WithoutWeakPrefix(*pre.if_match) != WithoutWeakPrefix(*current_etag)) {
    return Status(ErrorCode::kPreconditionFailed,
                  "If-Match: " + *pre.if_match + " header does not match the current etag " +
                      *current_etag + " of " + what +
                      ": it was changed since it was read. Read it again and retry.");
  }
  return Status::Ok();
}

}  // namespace

Status TwinNotFound(std::string_view twin_id) {
  return Status(ErrorCode::kDigitalTwinNotFound,
                "There is no digital twin instance that exists with the ID " +
                    std::string(twin_id) +
                    ". Please verify that the twin id is valid and ensure that the twin is not "
                    "deleted. See section on querying the twins https://aka.ms/adtv2query.");
}

Status RelationshipNotFound(std::string_view source_id, std::string_view relationship_id) {
  return Status(ErrorCode::kRelationshipNotFound,
                "Relationship " + std::string(relationship_id) + " not found on twin " +
                    std::string(source_id) +
                    ". Please verify that the relationship id is valid and ensure that the "
                    "relationship is not deleted. See section on listing relationships in the "
                    "documentation https://aka.ms/adtv2twins.");
}

Status ModelNotFound(std::string_view model_id) {
  // ADT answers a lookup with an id that cannot be a DTMI as a bad argument, not a miss.
  if (!dtdl::IsValidModelDtmi(model_id, dtdl::DtdlVersion::kV3) &&
      !dtdl::IsValidModelDtmi(model_id, dtdl::DtdlVersion::kV2)) {
    return Status(ErrorCode::kInvalidArgument,
                  "The format of the Model ID " + std::string(model_id) +
                      " provided is not supported. See model documentation"
                      "(https://aka.ms/ADTv2Models) for supported format.");
  }
  return Status(ErrorCode::kModelNotFound,
                "There is no Model(s) available that matches the provided id(s) " +
                    std::string(model_id) +
                    ". Check that the Model ID provided is valid by doing a Model_List API call.");
}

Status ComponentNotFound(std::string_view twin_id, std::string_view component) {
  return Status(ErrorCode::kComponentNotFound,
                "Component " + std::string(component) + " does not exist on digital twin " +
                    std::string(twin_id) + ": it is not a Component of the twin's model.");
}

Status ModelOfTwinDeleted(std::string_view twin_id, std::string_view model_id) {
  return Status(ErrorCode::kValidationFailed,
                "The model " + std::string(model_id) + " of digital twin " + std::string(twin_id) +
                    " was deleted: the twin can be read and deleted, but its properties and "
                    "outgoing relationships cannot be changed until it is given a model again "
                    "(PATCH /$metadata/$model or PUT the twin).");
}

Status CheckTwinPreconditions(const Preconditions& pre, const std::string* current_etag,
                              std::string_view twin_id) {
  const std::string id(twin_id);
  return CheckPreconditions(pre, current_etag, "twin " + id,
                            "If-None-Match: * header was specified but a twin with the id " + id +
                                " was found. Please specify a different twin id.");
}

Status CheckRelationshipPreconditions(const Preconditions& pre, const std::string* current_etag,
                                      std::string_view source_id,
                                      std::string_view relationship_id) {
  const std::string id(relationship_id);
  const std::string source(source_id);
  return CheckPreconditions(
      pre, current_etag, "relationship " + id + " on twin " + source,
      "If-None-Match: * header was specified but a relationship with the id " + id +
          " was found on twin " + source + ". Please specify a different relationship id.");
}

}  // namespace dtwin::service
