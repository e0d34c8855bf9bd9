// Common options, credentials and the client of the remote commands (see remote_options.h).
#include "cli/remote_options.h"

#include <cstdlib>
#include <utility>

#include "dtwin/client/errors.h"

namespace dtwin::cli {

namespace {

struct AuthName {
  const char* name;
  AuthMode mode;
};

constexpr AuthName kAuthNames[] = {
    {"none", AuthMode::kNone},
    {"static", AuthMode::kStatic},
    {"client-secret", AuthMode::kClientSecret},
    {"managed-identity", AuthMode::kManagedIdentity},
    {"cli", AuthMode::kCli},
    {"default", AuthMode::kDefault},
};

// dtwin serve --auth none accepts any bearer token; one is still sent so that the request
// looks like every other client's.
constexpr const char* kPlaceholderToken = "dtwin-auth-none";

std::string Environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

std::vector<std::string> AuthChoices() {
  std::vector<std::string> choices;
  for (const AuthName& auth : kAuthNames) choices.push_back(auth.name);
  return choices;
}

AuthMode ParseAuthMode(const std::string& text, const char* where) {
  for (const AuthName& auth : kAuthNames) {
    if (text == auth.name) return auth.mode;
  }
  throw UsageError(std::string(where) + ": '" + text + "' is not an --auth mode");
}

}  // namespace

const std::vector<OptionSpec>& CommonOptionSpecs() {
  static const std::vector<OptionSpec> specs = {
      ValueOption({"--endpoint"}, "URL",
                  "the service (env DTWIN_ENDPOINT; default http://127.0.0.1:8080)"),
      ValueOption({"--auth"}, "MODE", "how to get tokens (env DTWIN_AUTH; default none)")
          .WithChoices(AuthChoices()),
      ValueOption({"--output", "-o"}, "FORMAT", "json (default) or an aligned table")
          .WithChoices({"json", "table"}),
      ValueOption({"--ca-file"}, "FILE", "PEM bundle to trust instead of the system's"),
      FlagOption({"--help", "-h"}, "show this help"),
  };
  return specs;
}

RemoteOptions ResolveRemoteOptions(const ParsedOptions& options) {
  RemoteOptions remote;
  if (std::optional<std::string> endpoint = options.Get("--endpoint")) {
    remote.endpoint = *endpoint;
  } else if (std::string env = Environment("DTWIN_ENDPOINT"); !env.empty()) {
    remote.endpoint = env;
  }
  if (remote.endpoint.rfind("http://", 0) != 0 && remote.endpoint.rfind("https://", 0) != 0) {
    throw UsageError("endpoint '" + remote.endpoint + "' is not an http:// or https:// URL");
  }
  if (std::optional<std::string> auth = options.Get("--auth")) {
    remote.auth = ParseAuthMode(*auth, "--auth");
  } else if (std::string env = Environment("DTWIN_AUTH"); !env.empty()) {
    remote.auth = ParseAuthMode(env, "DTWIN_AUTH");
  }
  if (std::optional<std::string> output = options.Get("--output")) {
    // Parsing checked the choice.
    remote.output = ParseOutputFormat(*output).value_or(OutputFormat::kJson);
  }
  remote.ca_file = options.Get("--ca-file").value_or("");
  return remote;
}

std::shared_ptr<client::TokenCredential> MakeCredential(const RemoteOptions& options) {
  client::CredentialOptions credential_options;
  credential_options.ca_file = options.ca_file;
  switch (options.auth) {
    case AuthMode::kNone:
      return std::make_shared<client::StaticTokenCredential>(kPlaceholderToken);
    case AuthMode::kStatic: {
      std::string token = Environment("DTWIN_TOKEN");
      if (token.empty()) {
        throw client::DigitalTwinsError(0, client::kAuthenticationError,
                                        "--auth static takes the token from DTWIN_TOKEN, "
                                        "which is not set",
                                        "");
      }
      return std::make_shared<client::StaticTokenCredential>(std::move(token));
    }
    case AuthMode::kClientSecret:
      return std::make_shared<client::EnvironmentCredential>(credential_options);
    case AuthMode::kManagedIdentity:
      return std::make_shared<client::ManagedIdentityCredential>();
    case AuthMode::kCli:
      return std::make_shared<client::AzureCliCredential>();
    case AuthMode::kDefault:
      return std::make_shared<client::DefaultAzureCredential>(credential_options);
  }
  return nullptr;  // unreachable: every mode is handled above
}

client::DigitalTwinsClient MakeClient(const RemoteOptions& options) {
  client::DigitalTwinsClientOptions client_options;
  client_options.application_id = "dtwin-cli";
  client_options.transport.ca_file = options.ca_file;
  return client::DigitalTwinsClient(options.endpoint, MakeCredential(options),
                                    std::move(client_options));
}

}  // namespace dtwin::cli
