// `dtwin serve`: opens the data directory, starts the service and serves the ADT REST API
// until SIGINT/SIGTERM. Called once from main.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace dtwin::server {

// args: the arguments after "serve". Writes the "dtwin listening on URL" line (flushed) to
// out and everything else (hints, access log, errors) to stderr-like err. Returns the exit
// code: 0 after a graceful stop, 1 when the server cannot start, 2 on a usage error.
int RunServe(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace dtwin::server
