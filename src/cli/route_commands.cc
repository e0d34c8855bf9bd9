// `dtwin route create|show|list|delete`: event routes, as `az dt route` does.
#include <boost/json/object.hpp>

#include "cli/command.h"
#include "cli/output_format.h"
#include "cli/paged_output.h"
#include "dtwin/client/digital_twins_client.h"

namespace dtwin::cli {

namespace {

namespace json = boost::json;
using client::EventRoute;

// ADT's EventRoute shape.
json::object RouteToJson(const EventRoute& route) {
  return {{"id", route.id}, {"endpointName", route.endpoint_name}, {"filter", route.filter}};
}

const std::vector<Column>& RouteColumns() {
  static const std::vector<Column> columns = {
      {"id", {"id"}}, {"endpointName", {"endpointName"}}, {"filter", {"filter"}}};
  return columns;
}

void CreateRoute(CommandContext& context) {
  const std::string& name = context.options.Required("--event-route-name");
  EventRoute route;
  route.endpoint_name = context.options.Required("--endpoint-name");
  route.filter = context.options.Get("--filter").value_or("true");
  context.client.UpsertEventRoute(name, route);
  // The service answers a PUT with no body; show what it stored.
  context.output.WriteItem(RouteToJson(context.client.GetEventRoute(name)), RouteColumns());
}

void ShowRoute(CommandContext& context) {
  context.output.WriteItem(
      RouteToJson(context.client.GetEventRoute(context.options.Required("--event-route-name"))),
      RouteColumns());
}

void ListRoutes(CommandContext& context) {
  client::Pager<EventRoute> pager =
      context.client.ListEventRoutes(PageOptionsFrom(context.options));
  WritePagedItems(
      pager,
      [](const EventRoute& route) -> std::optional<json::value> { return RouteToJson(route); },
      context, RouteColumns());
}

void DeleteRoute(CommandContext& context) {
  context.client.DeleteEventRoute(context.options.Required("--event-route-name"));
}

OptionSpec RouteNameOption() {
  return ValueOption({"--event-route-name", "--rn"}, "NAME", "the route's name").MarkRequired();
}

}  // namespace

std::vector<CommandSpec> RouteCommands() {
  return {
      {.words = {"route", "create"},
       .summary = "Create (or replace) an event route",
       .description = "Like az dt route create. The endpoint must be configured on the service\n"
                      "(dtwin serve --endpoint NAME=URL). Prints the stored route.",
       .options = {RouteNameOption(),
                   ValueOption({"--endpoint-name", "--en"}, "NAME", "the endpoint events go to")
                       .MarkRequired(),
                   ValueOption({"--filter"}, "FILTER",
                               "which events to route (default true: all)")},
       .examples = {"dtwin route create --event-route-name all-twins --endpoint-name hook "
                    "--filter \"type = 'Microsoft.DigitalTwins.Twin.Update'\""},
       .run = CreateRoute},
      {.words = {"route", "show"},
       .summary = "Show an event route",
       .description = "Like az dt route show.",
       .options = {RouteNameOption()},
       .examples = {"dtwin route show --event-route-name all-twins"},
       .run = ShowRoute},
      {.words = {"route", "list"},
       .summary = "List event routes",
       .description = "Like az dt route list.",
       .options = WithPagingOptions({}),
       .examples = {"dtwin route list -o table"},
       .run = ListRoutes},
      {.words = {"route", "delete"},
       .summary = "Delete an event route",
       .description = "Like az dt route delete. Prints nothing.",
       .options = {RouteNameOption()},
       .examples = {"dtwin route delete --event-route-name all-twins"},
       .run = DeleteRoute},
  };
}

}  // namespace dtwin::cli
