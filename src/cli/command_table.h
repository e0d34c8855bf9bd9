// The remote commands of `dtwin` (model, twin, route: a service through the client library):
// finding the command in the table, parsing its options, help, running it, and mapping what
// happened to the exit code. Stateless; thread-safe.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace dtwin::cli {

// Whether args name a remote command or command group (their first word is one of the
// groups: model, twin, route). `model validate` is not one; check it first.
bool IsRemoteCommand(const std::vector<std::string>& args);

// Runs the command args name. Exit codes: kExitOk, kExitRefused (the service answered with an
// error: "dtwin: <ADT code>: <message>" on err), kExitUsage, kExitUnreachable (no answer, or
// no token). Results go to out, messages to err.
int RunRemoteCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// For `dtwin --help`: one line per command group, with its commands.
std::string RemoteCommandsOverview();

}  // namespace dtwin::cli
