// The failure of a credential that could not even try (configuration missing, no managed
// identity endpoint, no Azure CLI login): DefaultAzureCredential moves on to the next one,
// whereas any other failure stops the chain, as in azure-identity. Value type.
#pragma once

#include <string>
#include <utility>

#include "dtwin/client/errors.h"

namespace dtwin::client {

class CredentialUnavailableError : public DigitalTwinsError {
 public:
  explicit CredentialUnavailableError(std::string message)
      : DigitalTwinsError(0, kAuthenticationError, std::move(message), "") {}
};

}  // namespace dtwin::client
