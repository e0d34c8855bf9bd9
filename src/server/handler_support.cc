// Shared response shapes of the route handlers.
#include "server/handler_support.h"

#include "server/api_error.h"

namespace dtwin::server {

HttpResponse DocumentResponse(int status, boost::json::object body, const std::string& etag) {
  HttpResponse response = JsonResponse(status, boost::json::value(std::move(body)));
  response.headers.push_back({"ETag", etag});
  return response;
}

std::function<void(Status)> NoContentOr(Responder respond) {
  return [respond = std::move(respond)](Status status) {
    respond(status.ok() ? EmptyResponse(204) : ErrorResponse(status));
  };
}

std::function<void(Result<std::string>)> NoContentWithEtagOr(Responder respond) {
  return [respond = std::move(respond)](Result<std::string> etag) {
    if (!etag.ok()) return respond(ErrorResponse(etag.status()));
    HttpResponse response = EmptyResponse(204);
    response.headers.push_back({"ETag", *etag});
    respond(std::move(response));
  };
}

}  // namespace dtwin::server
