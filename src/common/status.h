// Status and Result<T>: errors as values on the request path. Codes map one-to-one onto
// ADT error codes and HTTP statuses. Value types; safe to copy between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace dtwin {

// The ADT error codes (reference/adt-api.md section 6.2) plus the few generic ones the
// service needs. Where the swagger and recorded real traffic disagree on a code's spelling,
// the wire name follows the recordings (ModelIdAlreadyExists, TargetDigitalTwinNotFound). kOk is the only success value.
enum class ErrorCode : uint8_t {
  kOk = 0,
  // 400
  kBadRequest,
  kInvalidArgument,
  kMissingArgument,
  kDtdlParserError,
  kModelVersionNotSupported,
  kLimitExceeded,
  kJsonPatchInvalid,
  kModelDecommissioned,
  kTwinLimitReached,
  kValidationFailed,
  kRelationshipsNotDeleted,
  kInvalidRelationship,
  kOperationNotAllowed,
  kSqlQueryError,
  kTimeoutError,
  kEventRouteEndpointInvalid,
  kEventRouteFilterInvalid,
  kEventRouteIdInvalid,
  kJobLimitReached,
  // 401, 403
  kUnauthorized,
  kForbidden,
  // 404
  kNotFound,
  kModelNotFound,
  kDigitalTwinNotFound,
  kRelationshipNotFound,
  kTargetTwinNotFound,
  kComponentNotFound,
  kEventRouteNotFound,
  kImportJobNotFound,
  kDeleteJobNotFound,
  // 409
  kModelAlreadyExists,
  kModelReferencesNotDecommissioned,
  kModelReferencesNotDeleted,
  kRelationshipAlreadyExists,
  // 412
  kPreconditionFailed,
  // 413, 429
  kPayloadTooLarge,
  kQuotaReachedError,
  // 5xx
  kInternal,
  kServiceUnavailable,
};

// The code as ADT spells it on the wire ("ValidationFailed", "DTDLParserError", ...).
std::string_view ErrorCodeName(ErrorCode code);

// The HTTP status ADT answers with for this code.
int HttpStatusOf(ErrorCode code);

// A success or an error with a code, a message that says what and where, and optional
// details (ADT's error.details: one entry per individual problem).
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<Status>& details() const { return details_; }

  Status& AddDetail(Status detail) {
    details_.push_back(std::move(detail));
    return *this;
  }

  // "ValidationFailed: message" (or "OK"), for logs and tests.
  std::string ToString() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::vector<Status> details_;
};

// Either a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design, like std::expected.
  Result(Status status) : data_(std::move(status)) {}  // NOLINT

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The error; only valid when !ok().
  const Status& status() const& { return std::get<1>(data_); }
  Status&& status() && { return std::get<1>(std::move(data_)); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace dtwin
