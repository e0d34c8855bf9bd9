// Error responses exactly as ADT renders them: {"error":{"code","message","details"?}} plus
// the x-ms-error-code header; 401 is ADT's bare {"statusCode":401,"message":"Unauthorized"}.
// The one place a Status becomes HTTP. Stateless; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "server/http_message.h"

namespace dtwin::server {

// An error with a wire code that may lie outside ErrorCode (the protocol-level ones such as
// MissingApiVersionParameter or MethodNotAllowed).
struct ApiError {
  int http_status = 500;
  std::string code;
  std::string message;
  std::vector<Status> details;

  static ApiError FromStatus(const Status& status);
};

// {"error":{"code","message","details":[...]}}; details only when there are some.
boost::json::object ErrorBody(const ApiError& error);

HttpResponse ErrorResponse(const ApiError& error);
HttpResponse ErrorResponse(const Status& status);

// ADT's 401 plus the RFC 6750 challenge: "WWW-Authenticate: Bearer", with
// error="invalid_token" when a credential was presented but refused.
HttpResponse UnauthorizedResponse(bool credential_presented);

}  // namespace dtwin::server
