// Token endpoint exchanges (see token_endpoint.h).
#include "client/token_endpoint.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <string>

#include "dtwin/client/errors.h"

namespace dtwin::client {
namespace {

constexpr size_t kMaxQuotedBody = 300;

std::string StringField(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

// What a refusal says: OAuth2 error / error_description, App Service's message, or the body.
std::string RefusalMessage(std::string_view body) {
  boost::system::error_code error;
  boost::json::value json = boost::json::parse(body, error);
  if (!error && json.is_object()) {
    const auto& object = json.get_object();
    std::string code = StringField(object, "error");
    std::string description = StringField(object, "error_description");
    if (description.empty()) description = StringField(object, "message");
    if (!code.empty() && !description.empty()) return code + ": " + description;
    if (!code.empty() || !description.empty()) return code + description;
  }
  return std::string(body.substr(0, kMaxQuotedBody));
}

}  // namespace

std::optional<std::int64_t> IntegerField(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64()) return static_cast<std::int64_t>(value->get_uint64());
  if (value->is_double()) return static_cast<std::int64_t>(value->get_double());
  if (!value->is_string()) return std::nullopt;
  std::string_view text = value->get_string();
  std::int64_t number = 0;
  auto [end, parse_error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (parse_error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return number;
}

AccessToken ParseTokenResponse(std::string_view body, std::chrono::system_clock::time_point now,
                               std::string_view credential_name) {
  auto fail = [&](const std::string& why) {
    return DigitalTwinsError(0, kAuthenticationError,
                             std::string(credential_name) + ": unusable token answer: " + why, "");
  };
  boost::system::error_code error;
  boost::json::value json = boost::json::parse(body, error);
  if (error || !json.is_object()) throw fail("not a JSON object");
  const auto& object = json.get_object();
  AccessToken token{StringField(object, "access_token"), {}};
  if (token.token.empty()) throw fail("no access_token");
  if (auto expires_on = IntegerField(object, "expires_on")) {
    token.expires_on = std::chrono::system_clock::time_point(std::chrono::seconds(*expires_on));
  } else if (auto expires_in = IntegerField(object, "expires_in")) {
    token.expires_on = now + std::chrono::seconds(*expires_in);
  } else {
    throw fail("neither expires_on nor expires_in");
  }
  return token;
}

AccessToken RequestToken(HttpTransport& transport, const HttpRequest& request,
                         const CallContext& context, std::string_view credential_name) {
  const std::string prefix = std::string(credential_name) + ": ";
  HttpResponse response;
  try {
    response = transport.Send(request, context);
  } catch (const DigitalTwinsError& failure) {
    throw DigitalTwinsError(0, failure.code(), prefix + failure.message(), "");
  }
  if (response.status < 200 || response.status > 299) {
    throw DigitalTwinsError(response.status, kAuthenticationError,
                            prefix + "the token endpoint " + request.url + " answered HTTP " +
                                std::to_string(response.status) + ": " +
                                RefusalMessage(response.body),
                            "");
  }
  return ParseTokenResponse(response.body, std::chrono::system_clock::now(), credential_name);
}

}  // namespace dtwin::client
