// dtwin: one binary for the server and the command-line tool. This file only dispatches
// subcommands to src/cli and src/server.
#include <iostream>
#include <string>
#include <vector>

#include "cli/cert_dev_command.h"
#include "cli/command_table.h"
#include "cli/model_validate_command.h"
#include "server/auth_issuer_command.h"
#include "server/serve_command.h"

namespace {

std::string Usage() {
  return "usage: dtwin <command> [options]\n"
         "\n"
         "commands:\n"
         "  serve [options]          serve the Azure Digital Twins REST API (see serve --help)\n"
         "  model validate PATH...   check DTDL model files offline (see --help)\n"
         "  cert dev [options]       write a development CA and localhost TLS certificate\n"
         "  issuer new-client|hash-secret\n"
         "                           make a client (secret + hash) for serve --issuer\n"
         "  version                  print the version\n"
         "\n"
         "commands against a service (--endpoint URL, or DTWIN_ENDPOINT; see <command> --help):\n" +
         dtwin::cli::RemoteCommandsOverview();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
    (args.empty() ? std::cerr : std::cout) << Usage();
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "version" || args[0] == "--version") {
    std::cout << "dtwin " << DTWIN_VERSION << "\n";
    return 0;
  }
  if (args[0] == "serve") {
    return dtwin::server::RunServe({args.begin() + 1, args.end()}, std::cout, std::cerr);
  }
  if (args[0] == "model" && args.size() >= 2 && args[1] == "validate") {
    return dtwin::cli::RunModelValidate({args.begin() + 2, args.end()}, std::cout, std::cerr);
  }
  if (args[0] == "cert" && args.size() >= 2 && args[1] == "dev") {
    return dtwin::cli::RunCertDev({args.begin() + 2, args.end()}, std::cout, std::cerr);
  }
  if (args[0] == "issuer") {
    return dtwin::server::RunIssuerCommand({args.begin() + 1, args.end()}, std::cin, std::cout,
                                           std::cerr);
  }
  if (dtwin::cli::IsRemoteCommand(args)) {
    return dtwin::cli::RunRemoteCommand(args, std::cout, std::cerr);
  }
  std::cerr << "dtwin: unknown command '" << args[0] << (args.size() > 1 ? " " + args[1] : "")
            << "'\n"
            << Usage();
  return 2;
}
