// Turns a non-2xx answer of the service into the DigitalTwinsError subclass a caller can
// catch, the way azure-core's error map does for the Python client. Stateless; thread-safe.
#pragma once

#include "client/http_transport.h"

namespace dtwin::client {

// The match conditions a request sent: what tells the two meanings of a 412 apart. Taken from
// the request's headers before it is handed to the pipeline.
struct SentConditions {
  bool if_match = false;
  bool if_none_match = false;

  static SentConditions Of(const HttpHeaders& request_headers) {
    return {FindHeader(request_headers, "If-Match").has_value(),
            FindHeader(request_headers, "If-None-Match").has_value()};
  }
};

// Throws unless response.status is 2xx. The exception carries the status, the ADT error code
// and message from the body ({"error": {"code", "message"}}, else the x-ms-error-code header)
// and x-ms-request-id. Subclass: 404 ResourceNotFoundError; 409 ResourceExistsError; 412
// ResourceExistsError when the request sent If-None-Match, ResourceModifiedError when it sent
// If-Match; anything else DigitalTwinsError.
void ThrowIfError(const HttpResponse& response, SentConditions sent);

}  // namespace dtwin::client
