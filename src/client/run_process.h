// Runs a program found on PATH without a shell (argv passed as is) and collects its output,
// for AzureCliCredential. Thread-safe (no shared state).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "dtwin/client/call_context.h"

namespace dtwin::client {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string standard_output;
  std::string standard_error;
};

// Runs argv[0] (looked up on PATH) with stdin from /dev/null. nullopt when the program is
// not found. The process is killed, and DigitalTwinsError thrown (kTimeoutError or
// kCancelledError), when `timeout` or the context's deadline passes or the context is
// cancelled.
std::optional<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                        std::chrono::milliseconds timeout,
                                        const CallContext& context);

}  // namespace dtwin::client
