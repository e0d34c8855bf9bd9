// Turns a non-2xx answer of the service into the DigitalTwinsError subclass a caller can
// catch, the way azure-core's error map does for the Python client. Stateless; thread-safe.
#pragma once

#include "client/http_transport.h"

namespace dtwin::client {

// Throws unless response.status is 2xx. The exception carries the status, the ADT error code
// and message from the body ({"error": {"code", "message"}}, else the x-ms-error-code header)
// and x-ms-request-id. Subclass: 404 ResourceNotFoundError; 409 ResourceExistsError; 412
// ResourceExistsError when the request sent If-None-Match, ResourceModifiedError when it sent
// If-Match; anything else DigitalTwinsError.
void ThrowIfError(const HttpResponse& response, const HttpHeaders& request_headers);

}  // namespace dtwin::client
