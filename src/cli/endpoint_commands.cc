// `dtwin endpoint list|show` and `dtwin endpoint deadletters list|replay`: dtwin extensions
// (no az equivalent) over /extensions/endpoints, to see where events go and what failed.
#include <boost/json/object.hpp>

#include "cli/command.h"
#include "cli/output_format.h"
#include "cli/paged_output.h"
#include "dtwin/client/digital_twins_client.h"

namespace dtwin::cli {

namespace {

namespace json = boost::json;
using client::DeadLetter;
using client::EndpointInfo;

// The server's /extensions/endpoints item shape.
json::object EndpointToJson(const EndpointInfo& endpoint) {
  return {{"name", endpoint.name},
          {"kind", endpoint.kind},
          {"url", endpoint.url},
          {"delivered", endpoint.delivered},
          {"retried", endpoint.retried},
          {"failed", endpoint.failed},
          {"deadLettered", endpoint.dead_lettered},
          {"queueDepth", endpoint.queue_depth}};
}

json::object DeadLetterToJson(const DeadLetter& letter) {
  return {{"id", letter.id},
          {"endpoint", letter.endpoint},
          {"reason", letter.reason},
          {"deadLetteredAt", letter.dead_lettered_at},
          {"committedAt", letter.committed_at},
          {"event", letter.event}};
}

const std::vector<Column>& EndpointColumns() {
  static const std::vector<Column> columns = {{"name", {"name"}},
                                              {"kind", {"kind"}},
                                              {"url", {"url"}},
                                              {"delivered", {"delivered"}},
                                              {"retried", {"retried"}},
                                              {"failed", {"failed"}},
                                              {"deadLettered", {"deadLettered"}},
                                              {"queueDepth", {"queueDepth"}}};
  return columns;
}

// The whole event is too wide for a table: its type and subject say which change it was.
const std::vector<Column>& DeadLetterColumns() {
  static const std::vector<Column> columns = {{"id", {"id"}},
                                              {"deadLetteredAt", {"deadLetteredAt"}},
                                              {"type", {"event", "type"}},
                                              {"subject", {"event", "subject"}},
                                              {"reason", {"reason"}}};
  return columns;
}

const std::string& EndpointName(const CommandContext& context) {
  return context.options.Required("--endpoint-name");
}

void ListEndpoints(CommandContext& context) {
  json::array endpoints;
  for (const EndpointInfo& endpoint : context.client.ListEndpoints()) {
    endpoints.push_back(EndpointToJson(endpoint));
  }
  context.output.WriteList(endpoints, EndpointColumns());
}

void ShowEndpoint(CommandContext& context) {
  context.output.WriteItem(EndpointToJson(context.client.GetEndpoint(EndpointName(context))),
                           EndpointColumns());
}

void ListDeadLetters(CommandContext& context) {
  client::Pager<DeadLetter> pager =
      context.client.ListDeadLetters(EndpointName(context), PageOptionsFrom(context.options));
  WritePagedItems(
      pager,
      [](const DeadLetter& letter) -> std::optional<json::value> {
        return DeadLetterToJson(letter);
      },
      context, DeadLetterColumns());
}

void ReplayDeadLetters(CommandContext& context) {
  static const std::vector<Column> columns = {{"replayed", {"replayed"}}};
  size_t replayed = context.client.ReplayDeadLetters(EndpointName(context));
  context.output.WriteItem(json::object{{"replayed", replayed}}, columns);
}

// Not --endpoint: that common option is the service's URL.
OptionSpec EndpointNameOption() {
  return ValueOption({"--endpoint-name", "--en"}, "NAME",
                     "the endpoint's name (dtwin serve --endpoint NAME=URL)")
      .MarkRequired();
}

constexpr const char* kExtensionNote =
    "A dtwin extension (/extensions/endpoints): Azure Digital Twins has no such command.";

}  // namespace

std::vector<CommandSpec> EndpointCommands() {
  return {
      {.words = {"endpoint", "list"},
       .summary = "List event endpoints and their delivery counters",
       .description = std::string(kExtensionNote) +
                      "\nPrints every endpoint the server was started with: name, kind, URL\n"
                      "(secrets shown as ***) and its counters since the server started.",
       .options = {},
       .examples = {"dtwin endpoint list -o table"},
       .run = ListEndpoints},
      {.words = {"endpoint", "show"},
       .summary = "Show an event endpoint and its delivery counters",
       .description = kExtensionNote,
       .options = {EndpointNameOption()},
       .examples = {"dtwin endpoint show --endpoint-name hook"},
       .run = ShowEndpoint},
      {.words = {"endpoint", "deadletters", "list"},
       .summary = "List the events an endpoint could not take",
       .description = std::string(kExtensionNote) +
                      "\nOldest first, each with why it was given up and the whole CloudEvent.",
       .options = WithPagingOptions({EndpointNameOption()}),
       .examples = {"dtwin endpoint deadletters list --endpoint-name hook -o table"},
       .run = ListDeadLetters},
      {.words = {"endpoint", "deadletters", "replay"},
       .summary = "Deliver an endpoint's dead letters again",
       .description = std::string(kExtensionNote) +
                      "\nPuts every dead letter of the endpoint back into its delivery queue,\n"
                      "with a fresh time-to-live. Prints {\"replayed\": N}.",
       .options = {EndpointNameOption()},
       .examples = {"dtwin endpoint deadletters replay --endpoint-name hook"},
       .run = ReplayDeadLetters},
  };
}

}  // namespace dtwin::cli
