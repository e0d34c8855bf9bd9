// Status -> ADT error response.
#include "server/api_error.h"

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

namespace dtwin::server {

namespace {

boost::json::object DetailBody(const Status& detail) {
  boost::json::object body;
  body["code"] = ErrorCodeName(detail.code());
  body["message"] = detail.message();
  if (!detail.details().empty()) {
    boost::json::array nested;
    for (const Status& inner : detail.details()) nested.push_back(DetailBody(inner));
    body["details"] = std::move(nested);
  }
  return body;
}

}  // namespace

ApiError ApiError::FromStatus(const Status& status) {
  return ApiError{HttpStatusOf(status.code()), std::string(ErrorCodeName(status.code())),
                  status.message(), status.details()};
}

boost::json::object ErrorBody(const ApiError& error) {
  boost::json::object inner;
  inner["code"] = error.code;
  inner["message"] = error.message;
  if (!error.details.empty()) {
    boost::json::array details;
    for (const Status& detail : error.details) details.push_back(DetailBody(detail));
    inner["details"] = std::move(details);
  }
  boost::json::object body;
  body["error"] = std::move(inner);
  return body;
}

HttpResponse ErrorResponse(const ApiError& error) {
  if (error.http_status == 401) {
    // The real service answers 401 without the error wrapper, without x-ms-error-code and
    // with a charset-less content type (recorded traffic).
    HttpResponse response =
        JsonResponse(401, std::string(R"({"statusCode":401,"message":"Unauthorized"})"));
    response.headers.push_back({"Content-Type", "application/json"});
    return response;
  }
  HttpResponse response = JsonResponse(error.http_status, ErrorBody(error));
  response.headers.push_back({"x-ms-error-code", error.code});
  return response;
}

HttpResponse ErrorResponse(const Status& status) {
  return ErrorResponse(ApiError::FromStatus(status));
}

HttpResponse UnauthorizedResponse(bool credential_presented) {
  HttpResponse response = ErrorResponse(ApiError{401, "Unauthorized", "", {}});
  response.headers.push_back(
      {"WWW-Authenticate", credential_presented ? R"(Bearer realm="dtwin", error="invalid_token")"
                                                : R"(Bearer realm="dtwin")"});
  return response;
}

}  // namespace dtwin::server
