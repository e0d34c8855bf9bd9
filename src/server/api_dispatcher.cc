// Size policy, routing, api-version and header decoration around the handlers.
#include "server/api_dispatcher.h"

#include <atomic>
#include <exception>
#include <memory>
#include <string>

#include "server/api_error.h"
#include "server/api_version.h"
#include "server/request_context.h"
#include "server/url_encoding.h"
#include "service/request_trace.h"

namespace dtwin::server {

namespace {

bool IsModelUpload(HttpMethod method, std::string_view target) {
  if (method != HttpMethod::kPost) return false;
  std::string_view path = SplitTarget(target).path;
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return EqualsIgnoreCase(path, "/models");
}

std::string AllowedList(const std::vector<HttpMethod>& methods) {
  std::string list;
  for (HttpMethod method : methods) {
    if (!list.empty()) list += ", ";
    list += MethodName(method);
  }
  return list;
}

// Writes are audited; POST /query only reads.
bool IsWrite(HttpMethod method, std::string_view path) {
  if (method == HttpMethod::kGet) return false;
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return !(method == HttpMethod::kPost && EqualsIgnoreCase(path, "/query"));
}

}  // namespace

ApiDispatcher::ApiDispatcher(Router router, ApiSecurity security)
    : router_(std::move(router)), security_(std::move(security)) {}

size_t ApiDispatcher::BodyLimitFor(HttpMethod method, std::string_view target) const {
  return IsModelUpload(method, target) ? kModelUploadLimit : kPayloadLimit;
}

HttpResponse ApiDispatcher::BodyTooLarge(HttpMethod method, std::string_view target) const {
  if (IsModelUpload(method, target)) {
    return ErrorResponse(Status(ErrorCode::kPayloadTooLarge,
                                "the model upload exceeds 32 MB; upload the models in several "
                                "batches (ADT takes at most 250 models per call)"));
  }
  return ErrorResponse(Status(ErrorCode::kInvalidArgument,
                              "the request payload exceeds 32 KB, the Azure Digital Twins "
                              "limit for this operation"));
}

void ApiDispatcher::AddCommonHeaders(const std::vector<HttpHeader>& request_headers,
                                     HttpResponse& response) {
  if (!response.body.empty() && !response.Header("Content-Type")) {
    response.headers.push_back({"Content-Type", "application/json; charset=utf-8"});
  }
  if (std::optional<std::string_view> id = FindHeader(request_headers, "x-ms-client-request-id")) {
    response.headers.push_back({"x-ms-client-request-id", std::string(*id)});
  }
}

void ApiDispatcher::Dispatch(HttpRequest request, Responder respond, Poster post) const {
  // The echo needs the request headers after the request itself has moved into the context.
  auto request_headers = std::make_shared<std::vector<HttpHeader>>();
  for (const HttpHeader& header : request.headers) {
    if (EqualsIgnoreCase(header.name, "x-ms-client-request-id")) request_headers->push_back(header);
  }
  auto responded = std::make_shared<std::atomic<bool>>(false);
  Responder finish = [respond = std::move(respond), request_headers,
                      responded](HttpResponse response) {
    if (responded->exchange(true)) return;
    AddCommonHeaders(*request_headers, response);
    respond(std::move(response));
  };

  TargetParts target = SplitTarget(request.target);
  RouteMatch open = security_.open_routes.Match(request.method, target.path);
  if (open.kind == RouteMatch::Kind::kFound) {
    Result<std::vector<QueryParam>> query = ParseQuery(target.query);
    if (!query.ok()) return finish(ErrorResponse(query.status()));
    const Handler& handler = *open.handler;
    RequestContext context(std::move(request), std::move(open.params), std::move(*query),
                           ApiVersion::k2023_10_31, std::move(post));
    return handler(context, finish);
  }
  RouteMatch match = router_.Match(request.method, target.path);
  switch (match.kind) {
    case RouteMatch::Kind::kFound:
      break;
    case RouteMatch::Kind::kBadEncoding:
      return finish(ErrorResponse(Status(ErrorCode::kInvalidArgument,
                                         "the path segment '" + match.bad_segment +
                                             "' has a malformed percent-encoding (expected %XX "
                                             "with two hex digits)")));
    case RouteMatch::Kind::kNotFound:
      return finish(ErrorResponse(
          ApiError{404,
                   "NotFound",
                   "No API matches the path '" + std::string(target.path) +
                       "'. The Azure Digital Twins data-plane paths are /models, /digitaltwins, "
                       "/eventroutes and /query.",
                   {}}));
    case RouteMatch::Kind::kMethodNotAllowed: {
      HttpResponse response = ErrorResponse(ApiError{
          405,
          "MethodNotAllowed",
          "The path '" + std::string(target.path) + "' does not support " +
              (request.method == HttpMethod::kOther ? std::string("this method")
                                                    : std::string(MethodName(request.method))) +
              "; it supports " + AllowedList(match.allowed) + ".",
          {}});
      response.headers.push_back({"Allow", AllowedList(match.allowed)});
      return finish(std::move(response));
    }
  }

  if (security_.guard != nullptr) {
    std::variant<Caller, HttpResponse> admitted = security_.guard->Admit(request, target.path);
    if (auto* refusal = std::get_if<HttpResponse>(&admitted)) return finish(std::move(*refusal));
    if (security_.audit_log != nullptr && IsWrite(request.method, target.path)) {
      finish = [finish = std::move(finish), log = security_.audit_log,
                method = std::string(MethodName(request.method)), path = std::string(target.path),
                caller = std::move(std::get<Caller>(admitted).identity)](HttpResponse response) {
        log->RecordAudit({std::chrono::system_clock::now(), method, path, response.status, caller});
        finish(std::move(response));
      };
    }
  }

  Result<std::vector<QueryParam>> query = ParseQuery(target.query);
  if (!query.ok()) return finish(ErrorResponse(query.status()));
  ApiError version_error;
  std::optional<ApiVersion> version = ResolveApiVersion(*query, &version_error);
  if (!version) return finish(ErrorResponse(version_error));

  const Handler& handler = *match.handler;
  RequestContext context(std::move(request), std::move(match.params), std::move(*query), *version,
                         std::move(post));
  try {
    // The notifications of the write this request makes continue the caller's trace.
    service::ScopedRequestTrace trace(context.Header("traceparent"));
    handler(context, finish);
  } catch (const std::exception& error) {
    // Handlers report errors as Status values; this is the last line against a bug (or an
    // allocation failure) taking the connection down without an answer.
    finish(ErrorResponse(
        Status(ErrorCode::kInternal,
               std::string("internal error while handling the request: ") + error.what())));
  }
}

}  // namespace dtwin::server
