// `dtwin twin telemetry send`: telemetry on behalf of a twin or one of its components, as
// `az dt twin telemetry send` does.
#include <boost/json/object.hpp>

#include "cli/command.h"
#include "cli/json_argument.h"
#include "cli/shared_options.h"
#include "dtwin/client/digital_twins_client.h"

namespace dtwin::cli {

namespace {

void SendTelemetry(CommandContext& context) {
  const std::string& twin_id = context.options.Required("--twin-id");
  // As az, an empty object when no telemetry is given (enough to test a route).
  boost::json::value payload = boost::json::object();
  if (std::optional<std::string> telemetry = context.options.Get("--telemetry")) {
    payload = ReadJsonObjectArgument("--telemetry", *telemetry);
  }
  client::TelemetryOptions options;
  options.message_id = context.options.Get("--dt-id").value_or("");
  options.source_time = context.options.Get("--telemetry-source-time");
  if (std::optional<std::string> component = context.options.Get("--component")) {
    context.client.PublishComponentTelemetry(twin_id, *component, payload, options);
  } else {
    context.client.PublishTelemetry(twin_id, payload, options);
  }
}

}  // namespace

std::vector<CommandSpec> TelemetryCommands() {
  return {
      {.words = {"twin", "telemetry", "send"},
       .summary = "Send telemetry on behalf of a twin or one of its components",
       .description = "Like az dt twin telemetry send. Routes deliver it as a\n"
                      "microsoft.iot.telemetry event. Prints nothing.",
       .options = {TwinIdOption("the twin's id"),
                   ValueOption({"--telemetry"}, "JSON",
                               "the telemetry object: inline, @FILE, @- or a file path "
                               "(default {})"),
                   ValueOption({"--component"}, "NAME",
                               "send on behalf of this component of the twin"),
                   ValueOption({"--dt-id", "--message-id"}, "ID",
                               "the message id (default: a random UUID)"),
                   ValueOption({"--telemetry-source-time", "--tst"}, "TIME",
                               "when it was measured (RFC 3339)")},
       .examples = {"dtwin twin telemetry send --twin-id room1 --telemetry '{\"humidity\": 40}'",
                    "dtwin twin telemetry send --twin-id room1 --component thermostat "
                    "--telemetry '{\"temp\": 21}' --telemetry-source-time 2024-05-01T12:00:00Z"},
       .run = SendTelemetry},
  };
}

}  // namespace dtwin::cli
