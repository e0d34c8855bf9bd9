// Small pieces every route handler uses: moving a service completion back onto the
// connection's thread before rendering, and the ADT success shapes (document + ETag, 204 +
// ETag, bare 204). Stateless; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <string>
#include <utility>

#include "common/status.h"
#include "server/http_message.h"
#include "server/request_context.h"
#include "server/router.h"

namespace dtwin::server {

// Wraps then so that it runs on the request's connection thread: service completions run on
// the store's committer thread, which must not spend its time rendering JSON.
template <typename T>
std::function<void(T)> OnConnectionThread(const RequestContext& context,
                                          std::function<void(T)> then) {
  return [post = context.post(), then = std::move(then)](T result) {
    post([then, result = std::move(result)]() mutable { then(std::move(result)); });
  };
}

// 200 (or status) with the document and its ETag header.
HttpResponse DocumentResponse(int status, boost::json::object body, const std::string& etag);

// A StatusCompletion answering 204 on success and the error otherwise.
// A route handler from a handler function taking the service first:
// router.Add(HttpMethod::kGet, "/digitaltwins/{id}", WithService(service, GetTwin)).
template <typename Service, typename Fn>
Handler WithService(Service& service, Fn fn) {
  return [&service, fn](const RequestContext& context, Responder respond) {
    fn(service, context, std::move(respond));
  };
}

std::function<void(Status)> NoContentOr(Responder respond);

// A completion of the new etag answering 204 + ETag on success (ADT's PATCH answers).
std::function<void(Result<std::string>)> NoContentWithEtagOr(Responder respond);

}  // namespace dtwin::server
