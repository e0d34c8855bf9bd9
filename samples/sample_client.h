// What every sample shares: the client created from environment variables, as the Python
// samples do (AZURE_URL plus DefaultAzureCredential), and the error report when a call fails.
// Single-threaded programs; nothing here is shared between threads.
#pragma once

#include <cstdlib>
#include <exception>
#include <functional>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include "dtwin/client/credentials.h"
#include "dtwin/client/digital_twins_client.h"
#include "dtwin/client/errors.h"

namespace dtwin::samples {

// The instance to talk to: AZURE_URL, e.g. "https://<instance>.api.<region>.digitaltwins.azure.net"
// or, for a local dtwin, "http://127.0.0.1:8080".
inline std::string EndpointFromEnvironment() {
  const char* url = std::getenv("AZURE_URL");
  if (url == nullptr || *url == '\0') {
    throw std::invalid_argument(
        "set AZURE_URL to the instance's URL (https://<instance>.api.<region>.digitaltwins."
        "azure.net, or http://127.0.0.1:8080 for a local `dtwin serve`)");
  }
  return url;
}

// Where the bearer token comes from:
// - DTWIN_TOKEN, when set: that token as is (e.g. from `az account get-access-token`);
// - a plain http:// URL: a local dtwin started with `--auth none`, which accepts any token;
// - otherwise DefaultAzureCredential, which tries the environment (AZURE_TENANT_ID,
//   AZURE_CLIENT_ID, AZURE_CLIENT_SECRET), then managed identity, then the Azure CLI's login.
inline std::shared_ptr<client::TokenCredential> CredentialFromEnvironment(const std::string& url) {
  if (const char* token = std::getenv("DTWIN_TOKEN"); token != nullptr && *token != '\0') {
    return std::make_shared<client::StaticTokenCredential>(token);
  }
  if (url.starts_with("http://")) {
    return std::make_shared<client::StaticTokenCredential>("auth-none");
  }
  return std::make_shared<client::DefaultAzureCredential>();
}

inline client::DigitalTwinsClient CreateClientFromEnvironment() {
  std::string url = EndpointFromEnvironment();
  return client::DigitalTwinsClient(url, CredentialFromEnvironment(url));
}

// Runs a sample's body; a failed call is reported with everything the error carries (HTTP
// status, ADT error code, message, request id) and the program exits 1.
inline int RunSample(const std::function<void()>& body) {
  try {
    body();
    return 0;
  } catch (const client::DigitalTwinsError& error) {
    std::cerr << "call failed: HTTP " << error.status() << ", code " << error.code() << ": "
              << error.message() << " (request id '" << error.request_id() << "')\n";
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
  }
  return 1;
}

}  // namespace dtwin::samples
