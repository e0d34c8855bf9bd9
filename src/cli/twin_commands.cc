// `dtwin twin create|show|update|delete|query` and `dtwin twin component show|update`, as
// `az dt twin` does.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <ostream>

#include "cli/command.h"
#include "cli/json_argument.h"
#include "cli/output_format.h"
#include "cli/paged_output.h"
#include "cli/shared_options.h"
#include "dtwin/client/digital_twins_client.h"

namespace dtwin::cli {

namespace {

namespace json = boost::json;

void CreateTwin(CommandContext& context) {
  json::object twin;
  if (std::optional<std::string> properties = context.options.Get("--properties")) {
    twin = ReadJsonObjectArgument("--properties", *properties);
  }
  json::value& metadata = twin["$metadata"];
  if (metadata.is_null()) metadata = json::object();
  if (!metadata.is_object()) throw UsageError("--properties: $metadata must be an object");
  metadata.get_object()["$model"] = context.options.Required("--dtmi");
  context.output.WriteItem(context.client.UpsertDigitalTwin(
      context.options.Required("--twin-id"), twin, MatchConditionsFrom(context.options)));
}

void ShowTwin(CommandContext& context) {
  context.output.WriteItem(context.client.GetDigitalTwin(context.options.Required("--twin-id")));
}

void UpdateTwin(CommandContext& context) {
  const std::string& twin_id = context.options.Required("--twin-id");
  json::array patch =
      ReadJsonPatchArgument("--json-patch", context.options.Required("--json-patch"));
  context.client.UpdateDigitalTwin(twin_id, patch, MatchConditionsFrom(context.options));
  context.output.WriteItem(context.client.GetDigitalTwin(twin_id));
}

void DeleteTwin(CommandContext& context) {
  context.client.DeleteDigitalTwin(context.options.Required("--twin-id"),
                                   MatchConditionsFrom(context.options));
}

void QueryTwins(CommandContext& context) {
  client::Pager<json::object> pager = context.client.QueryTwins(
      context.options.Required("--query-command"), PageOptionsFrom(context.options));
  PagedResult result = WritePagedItems(
      pager, [](json::object& row) -> std::optional<json::value> { return std::move(row); },
      context);
  if (context.options.Has("--show-cost")) {
    context.err << "dtwin: query charge "
                << (result.query_charge ? FormatJsonCompact(*result.query_charge) : "unknown")
                << " over " << result.pages << (result.pages == 1 ? " page" : " pages") << "\n";
  }
}

void ShowComponent(CommandContext& context) {
  context.output.WriteItem(context.client.GetComponent(context.options.Required("--twin-id"),
                                                       context.options.Required("--component")));
}

void UpdateComponent(CommandContext& context) {
  const std::string& twin_id = context.options.Required("--twin-id");
  const std::string& component = context.options.Required("--component");
  json::array patch =
      ReadJsonPatchArgument("--json-patch", context.options.Required("--json-patch"));
  context.client.UpdateComponent(twin_id, component, patch, MatchConditionsFrom(context.options));
  context.output.WriteItem(context.client.GetComponent(twin_id, component));
}

OptionSpec ComponentOption() {
  return ValueOption({"--component"}, "NAME", "the component's name (path) in the twin")
      .MarkRequired();
}

}  // namespace

std::vector<CommandSpec> TwinCommands() {
  return {
      {.words = {"twin", "create"},
       .summary = "Create (or replace) a digital twin",
       .description =
           "Like az dt twin create. The twin is --properties with $metadata.$model set\n"
           "to --dtmi; components the model declares must be in --properties. Prints the\n"
           "stored twin.",
       .options = {DtmiOption("the twin's model"), TwinIdOption("the new twin's id"),
                   ValueOption({"--properties", "-p"}, "JSON",
                               "initial properties: inline, @FILE, @- or a file path"),
                   IfNoneMatchOption()},
       .examples = {"dtwin twin create --dtmi 'dtmi:example:Room;1' --twin-id room1 "
                    "--properties '{\"temperature\": 21.5, \"thermostat\": {}}'"},
       .run = CreateTwin},
      {.words = {"twin", "show"},
       .summary = "Show a digital twin",
       .description = "Like az dt twin show.",
       .options = {TwinIdOption("the twin's id")},
       .examples = {"dtwin twin show --twin-id room1"},
       .run = ShowTwin},
      {.words = {"twin", "update"},
       .summary = "Update a digital twin with a JSON Patch",
       .description = "Like az dt twin update. Prints the twin afterwards.",
       .options = {TwinIdOption("the twin's id"), JsonPatchOption(), EtagOption()},
       .examples =
           {"dtwin twin update --twin-id room1 "
            "--json-patch '[{\"op\": \"replace\", \"path\": \"/temperature\", \"value\": 22}]'"},
       .run = UpdateTwin},
      {.words = {"twin", "delete"},
       .summary = "Delete a digital twin that has no relationships left",
       .description = "Like az dt twin delete. Prints nothing.",
       .options = {TwinIdOption("the twin's id"), EtagOption()},
       .examples = {"dtwin twin delete --twin-id room1"},
       .run = DeleteTwin},
      {.words = {"twin", "query"},
       .summary = "Query the twin graph",
       .description = "Like az dt twin query. Prints every row of every page (or one page with\n"
                      "--max-items); --show-cost prints the summed query charge on stderr.",
       .options = WithPagingOptions(
           {ValueOption({"--query-command", "-q"}, "QUERY", "the query text").MarkRequired(),
            FlagOption({"--show-cost", "--cost"}, "print the query charge on stderr")}),
       .examples =
           {"dtwin twin query -q \"SELECT * FROM digitaltwins WHERE temperature > 20\" -o table"},
       .run = QueryTwins},
      {.words = {"twin", "component", "show"},
       .summary = "Show a component of a digital twin",
       .description = "Like az dt twin component show.",
       .options = {TwinIdOption("the twin's id"), ComponentOption()},
       .examples = {"dtwin twin component show --twin-id room1 --component thermostat"},
       .run = ShowComponent},
      {.words = {"twin", "component", "update"},
       .summary = "Update a component of a digital twin with a JSON Patch",
       .description =
           "Like az dt twin component update. Patch paths are relative to the component.\n"
           "Prints the component afterwards.",
       .options = {TwinIdOption("the twin's id"), ComponentOption(), JsonPatchOption(),
                   EtagOption()},
       .examples = {"dtwin twin component update --twin-id room1 --component thermostat "
                    "--json-patch '[{\"op\": \"add\", \"path\": \"/setpoint\", \"value\": 20}]'"},
       .run = UpdateComponent},
  };
}

}  // namespace dtwin::cli
