// The exchange with an OAuth2-style token endpoint (Entra ID, ADFS, managed identity):
// send, then read {"access_token", "expires_in" | "expires_on"} or the endpoint's error.
// Thread-safe (stateless; the transport is thread-safe).
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "client/http_transport.h"
#include "dtwin/client/credentials.h"

namespace dtwin::client {

// Sends `request` and returns the token. Throws DigitalTwinsError: with the endpoint's HTTP
// status, code kAuthenticationError and its error / error_description when it refuses;
// with status 0 and the transport's code when it does not answer. Messages start with
// `credential_name`.
AccessToken RequestToken(HttpTransport& transport, const HttpRequest& request,
                         const CallContext& context, std::string_view credential_name);

// Parses a token answer; expires_on (epoch seconds) wins over expires_in (seconds from
// `now`); both may be numbers or strings. Throws DigitalTwinsError(kAuthenticationError).
AccessToken ParseTokenResponse(std::string_view body, std::chrono::system_clock::time_point now,
                               std::string_view credential_name);

// An integer held as a JSON number or a string ("3599"): token endpoints use both.
std::optional<std::int64_t> IntegerField(const boost::json::object& object, std::string_view key);

}  // namespace dtwin::client
