// The options every remote command shares (--endpoint, --auth, --output, --ca-file, --help),
// their environment defaults, and the credential and client they build. Stateless;
// thread-safe (reads the environment).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/output_format.h"
#include "dtwin/client/credentials.h"
#include "dtwin/client/digital_twins_client.h"

namespace dtwin::cli {

inline constexpr const char* kDefaultEndpoint = "http://127.0.0.1:8080";

// Where tokens come from (--auth).
enum class AuthMode { kNone, kStatic, kClientSecret, kManagedIdentity, kCli, kDefault };

struct RemoteOptions {
  std::string endpoint = kDefaultEndpoint;
  AuthMode auth = AuthMode::kNone;
  OutputFormat output = OutputFormat::kJson;
  std::string ca_file;  // empty: the system's trust store
};

// The common options' specs, appended to every command's own.
const std::vector<OptionSpec>& CommonOptionSpecs();

// The common options from the command line, else from DTWIN_ENDPOINT / DTWIN_AUTH, else the
// defaults. Throws UsageError for an endpoint that is not an http(s) URL or an unknown mode.
RemoteOptions ResolveRemoteOptions(const ParsedOptions& options);

// The credential --auth names. none: a placeholder token (dtwin serve --auth none takes any);
// static: DTWIN_TOKEN; client-secret: AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET
// (and AZURE_AUTHORITY_HOST); managed-identity; cli: `az account get-access-token`; default:
// DefaultAzureCredential. Throws client::DigitalTwinsError (kAuthenticationError) when
// static has no DTWIN_TOKEN; other credentials fail at their first token.
std::shared_ptr<client::TokenCredential> MakeCredential(const RemoteOptions& options);

client::DigitalTwinsClient MakeClient(const RemoteOptions& options);

}  // namespace dtwin::cli
