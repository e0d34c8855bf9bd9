// `dtwin issuer` subcommands.
#include "server/auth_issuer_command.h"

#include <cctype>
#include <string_view>

#include "auth/token_issuer.h"

namespace dtwin::server {
namespace {

constexpr std::string_view kUsage =
    "usage: dtwin issuer new-client [CLIENT_ID]   a new client secret and its config entry\n"
    "       dtwin issuer hash-secret              the secret_sha256 of a secret read from stdin\n";

bool WantsHelp(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "-h" || arg == "--help") return true;
  }
  return false;
}

// Client ids go into the TOML entry as they are: keep them to letters, digits, '-', '_' and
// '.', as Entra application ids and readable names are.
bool IsValidClientId(std::string_view id) {
  if (id.empty() || id.size() > 128 || id.front() == '-') return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

}  // namespace

int RunIssuerCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                     std::ostream& err) {
  if (WantsHelp(args)) {
    out << kUsage;
    return 0;
  }
  if (!args.empty() && args[0] == "new-client" && args.size() <= 2) {
    const std::string client_id = args.size() == 2 ? args[1] : "dev";
    if (!IsValidClientId(client_id)) {
      err << "dtwin issuer new-client: the client id '" << client_id
          << "' may only contain letters, digits, '-', '_' and '.' (and not start with '-')\n";
      return 2;
    }
    const std::string secret = auth::NewClientSecret();
    out << "# client secret (give it to the client as AZURE_CLIENT_SECRET; it is not stored):\n"
        << "#   " << secret << "\n"
        << "[[issuer.clients]]\n"
        << "client_id = \"" << client_id << "\"\n"
        << "secret_sha256 = \"" << auth::SecretSha256Hex(secret) << "\"\n"
        << "roles = [\"Azure Digital Twins Data Owner\"]\n";
    return 0;
  }
  if (args.size() == 1 && args[0] == "hash-secret") {
    std::string secret;
    if (!std::getline(in, secret) || secret.empty()) {
      err << "dtwin issuer hash-secret: no secret on stdin\n";
      return 2;
    }
    if (secret.back() == '\r') secret.pop_back();
    out << "secret_sha256 = \"" << auth::SecretSha256Hex(secret) << "\"\n";
    return 0;
  }
  err << kUsage;
  return 2;
}

}  // namespace dtwin::server
