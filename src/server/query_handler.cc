// POST /query: body {"query": text} for the first page, {"continuationToken": token} for the
// next ones (the Python SDK sends both members every time, the other null); the page size
// comes from max-items-per-page. Answers {"value": [rows], "continuationToken": token|null}
// with the page's cost in the query-charge header, as ADT does.
#include <charconv>

#include "common/json_writer.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/handler_support.h"

namespace dtwin::server {
namespace {

using service::DigitalTwinsService;

// A member that must be a string when present; null and absent are both "not given".
Result<std::string_view> OptionalString(const boost::json::object& body, std::string_view name) {
  const boost::json::value* member = body.if_contains(name);
  if (member == nullptr || member->is_null()) return std::string_view();
  if (!member->is_string()) {
    return Status(ErrorCode::kBadRequest, "\"" + std::string(name) + "\" must be a string");
  }
  return std::string_view(member->get_string());
}

std::string PageBody(const query::QueryPage& page) {
  size_t size = 48 + page.continuation.size();
  for (const std::string& row : page.rows) size += row.size() + 1;
  std::string body;
  body.reserve(size);
  body += "{\"value\":[";
  for (size_t i = 0; i < page.rows.size(); ++i) {
    if (i > 0) body += ',';
    body += page.rows[i];
  }
  body += "],\"continuationToken\":";
  if (page.continuation.empty()) {
    body += "null";  // the real service sends an explicit null on the last page
  } else {
    AppendJson(boost::json::value(boost::json::string(page.continuation)), body);
  }
  body += '}';
  return body;
}

std::string ChargeText(double charge) {
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, charge);
  return error == std::errc() ? std::string(buffer, end) : "1";
}

void Query(const DigitalTwinsService& service, const RequestContext& context,
           const Responder& respond) {
  Result<boost::json::value> body = context.JsonBody();
  if (!body.ok()) return respond(ErrorResponse(body.status()));
  if (!body->is_object()) {
    return respond(ErrorResponse(Status(
        ErrorCode::kBadRequest, "The body must be a JSON object: {\"query\": \"SELECT ...\"}")));
  }
  Result<std::string_view> text = OptionalString(body->get_object(), "query");
  if (!text.ok()) return respond(ErrorResponse(text.status()));
  Result<std::string_view> token = OptionalString(body->get_object(), "continuationToken");
  if (!token.ok()) return respond(ErrorResponse(token.status()));
  if (text->empty() && token->empty()) {
    return respond(ErrorResponse(Status(ErrorCode::kBadRequest,
                                        "The body must hold a \"query\" (or the "
                                        "\"continuationToken\" of the previous page)")));
  }
  Result<service::PageRequest> page_request = context.Page();
  if (!page_request.ok()) return respond(ErrorResponse(page_request.status()));
  Result<query::QueryPage> page =
      service.Query({.text = *text, .continuation = *token, .max_items = page_request->max_items});
  if (!page.ok()) return respond(ErrorResponse(page.status()));
  HttpResponse response = JsonResponse(200, PageBody(*page));
  response.headers.push_back({"query-charge", ChargeText(page->charge)});
  respond(std::move(response));
}

}  // namespace

void AddQueryRoutes(Router& router, DigitalTwinsService& service) {
  router.Add(HttpMethod::kPost, "/query", WithService(service, Query));
}

}  // namespace dtwin::server
