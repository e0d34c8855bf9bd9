// `dtwin cert dev [--data-dir DIR] [--force]`: writes a development CA and a localhost server
// certificate into DIR/tls/ and prints how to serve with them and make clients trust the CA.
// Stateless; thread-safe.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace dtwin::cli {

// Exit codes: 0 written; 2 usage error, files already there (without --force) or failure.
int RunCertDev(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The command's help text.
std::string CertDevUsage();

}  // namespace dtwin::cli
