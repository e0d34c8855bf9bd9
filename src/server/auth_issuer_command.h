// `dtwin issuer new-client|hash-secret`: helpers for the built-in token issuer's client list
// (secrets are stored as SHA-256 hashes in the config file). Called once from main.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace dtwin::server {

// args: the arguments after "issuer". new-client [CLIENT_ID] prints a new random secret
// and the [[issuer.clients]] entry holding its hash; hash-secret reads a secret from in (one
// line, so it stays out of the process list and the shell history) and prints its hash.
// Returns the exit code (2 on a usage error).
int RunIssuerCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                     std::ostream& err);

}  // namespace dtwin::server
