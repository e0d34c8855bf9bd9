// DigitalTwinsError (see dtwin/client/errors.h).
#include "dtwin/client/errors.h"

#include <utility>

namespace dtwin::client {

DigitalTwinsError::DigitalTwinsError(int status, std::string code, std::string message,
                                     std::string request_id)
    : std::runtime_error(code + (status != 0 ? " (HTTP " + std::to_string(status) + ")" : "") +
                         ": " + message),
      status_(status),
      code_(std::move(code)),
      message_(std::move(message)),
      request_id_(std::move(request_id)) {}

}  // namespace dtwin::client
