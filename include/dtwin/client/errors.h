// The one exception type the client throws, and the subclasses that let callers tell the
// common failures apart the way Python's azure-core does (ResourceNotFoundError,
// ResourceModifiedError, ResourceExistsError). Value types; safe to copy between threads.
#pragma once

#include <stdexcept>
#include <string>

namespace dtwin::client {

// Any failed call: a non-2xx answer from the service (status, ADT error code, message and
// request id from the error body and headers), or a failure before an answer arrived
// (status 0: connection refused, TLS, timeout, cancelled, credential failure; code names it).
class DigitalTwinsError : public std::runtime_error {
 public:
  DigitalTwinsError(int status, std::string code, std::string message, std::string request_id);

  int status() const { return status_; }               // HTTP status; 0 when none arrived
  const std::string& code() const { return code_; }    // e.g. "DigitalTwinNotFound"
  const std::string& message() const { return message_; }
  const std::string& request_id() const { return request_id_; }  // x-ms-request-id, if any

 private:
  int status_;
  std::string code_;
  std::string message_;
  std::string request_id_;
};

// 404: the twin, model, relationship, component, route or job does not exist.
class ResourceNotFoundError : public DigitalTwinsError {
 public:
  using DigitalTwinsError::DigitalTwinsError;
};

// 412 on If-Match: the resource changed since the etag the call named.
class ResourceModifiedError : public DigitalTwinsError {
 public:
  using DigitalTwinsError::DigitalTwinsError;
};

// 409 (e.g. ModelIdAlreadyExists), or 412 on If-None-Match: * (it already exists).
class ResourceExistsError : public DigitalTwinsError {
 public:
  using DigitalTwinsError::DigitalTwinsError;
};

// Error codes of failures before any answer (status 0).
inline constexpr const char* kConnectionError = "ConnectionError";
inline constexpr const char* kTimeoutError = "Timeout";
inline constexpr const char* kCancelledError = "Cancelled";
inline constexpr const char* kAuthenticationError = "AuthenticationFailed";
// A synchronous call made from a callback of an asynchronous one: it would wait for the very
// thread it runs on.
inline constexpr const char* kInvalidOperation = "InvalidOperation";
// A 2xx answer whose body is not what the operation returns.
inline constexpr const char* kUnexpectedResponse = "UnexpectedResponse";

}  // namespace dtwin::client
