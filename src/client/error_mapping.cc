// ThrowIfError (see error_mapping.h).
#include "client/error_mapping.h"

#include <boost/json/parse.hpp>
#include <string>

#include "dtwin/client/errors.h"

namespace dtwin::client {
namespace {

// Error bodies of proxies and load balancers can be whole HTML pages; a message keeps the
// start, enough to recognise them.
constexpr size_t kMaxRawMessage = 512;

struct ErrorDetails {
  std::string code;
  std::string message;
};

// ADT's body {"error": {"code", "message"}}; fields it lacks stay empty.
ErrorDetails ParseErrorBody(const std::string& body) {
  ErrorDetails details;
  boost::system::error_code parse_error;
  boost::json::value value = boost::json::parse(body, parse_error);
  if (parse_error || !value.is_object()) return details;
  const boost::json::value* error = value.as_object().if_contains("error");
  if (error == nullptr || !error->is_object()) return details;
  if (const boost::json::value* code = error->as_object().if_contains("code");
      code != nullptr && code->is_string()) {
    details.code = code->as_string();
  }
  if (const boost::json::value* message = error->as_object().if_contains("message");
      message != nullptr && message->is_string()) {
    details.message = message->as_string();
  }
  return details;
}

}  // namespace

void ThrowIfError(const HttpResponse& response, SentConditions sent) {
  const int status = response.status;
  if (status >= 200 && status < 300) return;

  ErrorDetails details = ParseErrorBody(response.body);
  if (details.code.empty()) {
    details.code = std::string(response.Header("x-ms-error-code").value_or(""));
  }
  if (details.code.empty()) details.code = "HttpError";
  if (details.message.empty()) {
    details.message = response.body.empty() ? "HTTP " + std::to_string(status) + " with no body"
                                            : response.body.substr(0, kMaxRawMessage);
  }
  std::string request_id(response.Header("x-ms-request-id").value_or(""));

  switch (status) {
    case 404:
      throw ResourceNotFoundError(status, details.code, details.message, request_id);
    case 409:
      throw ResourceExistsError(status, details.code, details.message, request_id);
    case 412:
      if (sent.if_none_match) {
        throw ResourceExistsError(status, details.code, details.message, request_id);
      }
      if (sent.if_match) {
        throw ResourceModifiedError(status, details.code, details.message, request_id);
      }
      break;
    default:
      break;
  }
  throw DigitalTwinsError(status, details.code, details.message, request_id);
}

}  // namespace dtwin::client
