// `dtwin twin relationship create|show|list|update|delete`, as `az dt twin relationship` does.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "cli/command.h"
#include "cli/json_argument.h"
#include "cli/output_format.h"
#include "cli/paged_output.h"
#include "cli/shared_options.h"
#include "dtwin/client/digital_twins_client.h"

namespace dtwin::cli {

namespace {

namespace json = boost::json;

const std::vector<Column>& RelationshipColumns() {
  static const std::vector<Column> columns = {
      {"$relationshipId", {"$relationshipId"}},
      {"$sourceId", {"$sourceId"}},
      {"$relationshipName", {"$relationshipName"}},
      {"$targetId", {"$targetId"}},
  };
  return columns;
}

const std::vector<Column>& IncomingColumns() {
  static const std::vector<Column> columns = {
      {"$relationshipId", {"$relationshipId"}},
      {"$sourceId", {"$sourceId"}},
      {"$relationshipName", {"$relationshipName"}},
  };
  return columns;
}

// ADT's IncomingRelationship shape.
json::object IncomingToJson(const client::IncomingRelationship& incoming) {
  return {{"$relationshipId", incoming.relationship_id},
          {"$sourceId", incoming.source_id},
          {"$relationshipName", incoming.relationship_name},
          {"$relationshipLink", incoming.relationship_link}};
}

void CreateRelationship(CommandContext& context) {
  json::object relationship;
  if (std::optional<std::string> properties = context.options.Get("--properties")) {
    relationship = ReadJsonObjectArgument("--properties", *properties);
  }
  relationship["$targetId"] = context.options.Required("--target");
  relationship["$relationshipName"] = context.options.Required("--relationship");
  context.output.WriteItem(
      context.client.UpsertRelationship(context.options.Required("--twin-id"),
                                        context.options.Required("--relationship-id"), relationship,
                                        MatchConditionsFrom(context.options)),
      RelationshipColumns());
}

void ShowRelationship(CommandContext& context) {
  context.output.WriteItem(
      context.client.GetRelationship(context.options.Required("--twin-id"),
                                     context.options.Required("--relationship-id")),
      RelationshipColumns());
}

void ListRelationships(CommandContext& context) {
  const std::string& twin_id = context.options.Required("--twin-id");
  std::string name = context.options.Get("--relationship").value_or("");
  client::PageOptions paging = PageOptionsFrom(context.options);
  if (!context.options.Has("--incoming")) {
    client::Pager<json::object> pager = context.client.ListRelationships(twin_id, name, paging);
    WritePagedItems(
        pager,
        [](json::object& relationship) -> std::optional<json::value> {
          return std::move(relationship);
        },
        context, RelationshipColumns());
    return;
  }
  // The service lists incoming relationships unfiltered; the name filter is applied here.
  client::Pager<client::IncomingRelationship> pager =
      context.client.ListIncomingRelationships(twin_id, paging);
  WritePagedItems(
      pager,
      [&name](const client::IncomingRelationship& incoming) -> std::optional<json::value> {
        if (!name.empty() && incoming.relationship_name != name) return std::nullopt;
        return IncomingToJson(incoming);
      },
      context, IncomingColumns());
}

void UpdateRelationship(CommandContext& context) {
  const std::string& twin_id = context.options.Required("--twin-id");
  const std::string& relationship_id = context.options.Required("--relationship-id");
  json::array patch =
      ReadJsonPatchArgument("--json-patch", context.options.Required("--json-patch"));
  context.client.UpdateRelationship(twin_id, relationship_id, patch,
                                    MatchConditionsFrom(context.options));
  context.output.WriteItem(context.client.GetRelationship(twin_id, relationship_id),
                           RelationshipColumns());
}

void DeleteRelationship(CommandContext& context) {
  context.client.DeleteRelationship(context.options.Required("--twin-id"),
                                    context.options.Required("--relationship-id"),
                                    MatchConditionsFrom(context.options));
}

OptionSpec SourceOption() {
  return ValueOption({"--twin-id", "--source", "-t"}, "ID", "the source twin's id").MarkRequired();
}

OptionSpec RelationshipIdOption() {
  return ValueOption({"--relationship-id", "-r"}, "ID",
                     "the relationship's id (unique per source twin)")
      .MarkRequired();
}

}  // namespace

std::vector<CommandSpec> RelationshipCommands() {
  return {
      {.words = {"twin", "relationship", "create"},
       .summary = "Create (or replace) a relationship between two twins",
       .description = "Like az dt twin relationship create. Prints the stored relationship.",
       .options = {SourceOption(), RelationshipIdOption(),
                   ValueOption({"--relationship", "--kind"}, "NAME",
                               "the relationship's name in the source twin's model")
                       .MarkRequired(),
                   ValueOption({"--target", "--target-twin-id"}, "ID", "the target twin's id")
                       .MarkRequired(),
                   ValueOption({"--properties", "-p"}, "JSON",
                               "relationship properties: inline, @FILE, @- or a file path"),
                   IfNoneMatchOption()},
       .examples =
           {"dtwin twin relationship create --twin-id floor1 --relationship-id floor1-room1 "
            "--relationship contains --target room1"},
       .run = CreateRelationship},
      {.words = {"twin", "relationship", "show"},
       .summary = "Show a relationship",
       .description = "Like az dt twin relationship show.",
       .options = {SourceOption(), RelationshipIdOption()},
       .examples = {"dtwin twin relationship show --twin-id floor1 --relationship-id floor1-room1"},
       .run = ShowRelationship},
      {.words = {"twin", "relationship", "list"},
       .summary = "List a twin's relationships, outgoing or --incoming",
       .description = "Like az dt twin relationship list.",
       .options = WithPagingOptions(
           {SourceOption(),
            ValueOption({"--relationship", "--kind"}, "NAME", "only relationships with this name"),
            FlagOption({"--incoming"}, "the relationships that point at the twin instead")}),
       .examples =
           {"dtwin twin relationship list --twin-id floor1 --relationship contains -o table",
            "dtwin twin relationship list --twin-id room1 --incoming"},
       .run = ListRelationships},
      {.words = {"twin", "relationship", "update"},
       .summary = "Update a relationship's properties with a JSON Patch",
       .description = "Like az dt twin relationship update. Prints the relationship afterwards.",
       .options = {SourceOption(), RelationshipIdOption(), JsonPatchOption(), EtagOption()},
       .examples =
           {"dtwin twin relationship update --twin-id floor1 --relationship-id floor1-room1 "
            "--json-patch '[{\"op\": \"add\", \"path\": \"/since\", \"value\": \"2024\"}]'"},
       .run = UpdateRelationship},
      {.words = {"twin", "relationship", "delete"},
       .summary = "Delete a relationship",
       .description = "Like az dt twin relationship delete. Prints nothing.",
       .options = {SourceOption(), RelationshipIdOption(), EtagOption()},
       .examples =
           {"dtwin twin relationship delete --twin-id floor1 --relationship-id floor1-room1"},
       .run = DeleteRelationship},
  };
}

}  // namespace dtwin::cli
