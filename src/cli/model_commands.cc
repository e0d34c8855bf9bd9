// `dtwin model create|list|show|decommission|delete`: DTDL models on a service, as
// `az dt model` does. (`model validate`, offline, is model_validate_command.cc.)
#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "cli/command.h"
#include "cli/json_argument.h"
#include "cli/model_files.h"
#include "cli/output_format.h"
#include "cli/paged_output.h"
#include "cli/shared_options.h"
#include "dtwin/client/digital_twins_client.h"

namespace dtwin::cli {

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using client::ModelData;

// ADT's DigitalTwinsModelData shape.
json::object ModelDataToJson(const ModelData& model) {
  json::object object;
  object["id"] = model.id;
  if (!model.display_name.empty()) object["displayName"] = model.display_name;
  if (!model.description.empty()) object["description"] = model.description;
  if (model.upload_time) object["uploadTime"] = *model.upload_time;
  object["decommissioned"] = model.decommissioned;
  if (model.model) object["model"] = *model.model;
  return object;
}

const std::vector<Column>& ModelColumns() {
  static const std::vector<Column> columns = {
      {"id", {"id"}},
      {"displayName", {"displayName", "en"}},
      {"decommissioned", {"decommissioned"}},
      {"uploadTime", {"uploadTime"}},
  };
  return columns;
}

// Adds the DTDL Interfaces in document (one object, or an array of them) to models.
void AddInterfaces(const std::string& source, json::value document, json::array& models) {
  if (document.is_object()) {
    models.push_back(std::move(document));
  } else if (document.is_array()) {
    for (json::value& model : document.get_array()) models.push_back(std::move(model));
  } else {
    throw UsageError(source + ": expected a DTDL Interface object or an array of them");
  }
}

// Every *.json and *.dtdl file below directory (as az does), in a stable order, as one batch.
json::array ReadModelDirectory(const std::string& directory) {
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    throw UsageError("--from-directory: '" + directory + "' is not a directory");
  }
  std::vector<std::string> files = ModelFilesBelow(directory, ec);
  if (ec) throw UsageError("--from-directory: " + directory + ": " + ec.message());
  if (files.empty())
    throw UsageError("--from-directory: no *.json or *.dtdl files in " + directory);
  json::array models;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw UsageError("--from-directory: cannot read '" + file + "'");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    AddInterfaces(file, ParseJsonText(file, text), models);
  }
  return models;
}

void CreateModels(CommandContext& context) {
  std::optional<std::string> directory = context.options.Get("--from-directory");
  std::optional<std::string> models_argument = context.options.Get("--models");
  if (directory.has_value() == models_argument.has_value()) {
    throw UsageError("give either --from-directory or --models");
  }
  json::array models;
  if (directory) {
    models = ReadModelDirectory(*directory);
  } else {
    AddInterfaces("--models", ReadJsonArgument("--models", *models_argument), models);
  }
  json::array created;
  for (const ModelData& model : context.client.CreateModels(models)) {
    created.push_back(ModelDataToJson(model));
  }
  context.output.WriteList(created, ModelColumns());
}

void ListModels(CommandContext& context) {
  client::ListModelsOptions options;
  options.dependencies_for = context.options.GetAll("--dependencies-for");
  options.include_model_definition = context.options.Has("--definition");
  client::Pager<ModelData> pager =
      context.client.ListModels(options, PageOptionsFrom(context.options));
  WritePagedItems(
      pager,
      [](const ModelData& model) -> std::optional<json::value> { return ModelDataToJson(model); },
      context, ModelColumns());
}

void ShowModel(CommandContext& context) {
  ModelData model = context.client.GetModel(context.options.Required("--dtmi"),
                                            context.options.Has("--definition"));
  context.output.WriteItem(ModelDataToJson(model), ModelColumns());
}

void DecommissionModel(CommandContext& context) {
  const std::string& dtmi = context.options.Required("--dtmi");
  context.client.DecommissionModel(dtmi);
  context.output.WriteItem(ModelDataToJson(context.client.GetModel(dtmi)), ModelColumns());
}

void DeleteModel(CommandContext& context) {
  context.client.DeleteModel(context.options.Required("--dtmi"));
}

OptionSpec DefinitionOption() {
  return FlagOption({"--definition", "--def"}, "include each model's DTDL definition");
}

}  // namespace

std::vector<CommandSpec> ModelCommands() {
  return {
      {.words = {"model", "create"},
       .summary = "Upload models, all of them in one all-or-nothing batch",
       .description =
           "Like az dt model create. Each file or --models value holds one DTDL Interface\n"
           "or an array of them. Prints the created models.",
       .options = {ValueOption({"--from-directory", "--fd"}, "DIR",
                               "every *.json and *.dtdl file below DIR"),
                   ValueOption({"--models"}, "JSON",
                               "inline JSON, @FILE, @- (stdin) or a file path")},
       .examples = {"dtwin model create --from-directory ./models",
                    "dtwin model create --models @room.json"},
       .run = CreateModels},
      {.words = {"model", "list"},
       .summary = "List models",
       .description = "Like az dt model list.",
       .options = WithPagingOptions(
           {DefinitionOption(), ValueOption({"--dependencies-for"}, "DTMI",
                                            "only these models and the models they depend on")
                                    .AllowMultiple()}),
       .examples = {"dtwin model list --output table",
                    "dtwin model list --dependencies-for 'dtmi:example:Room;1' --definition"},
       .run = ListModels},
      {.words = {"model", "show"},
       .summary = "Show a model",
       .description = "Like az dt model show.",
       .options = {DtmiOption("the model's id"), DefinitionOption()},
       .examples = {"dtwin model show --dtmi 'dtmi:example:Room;1' --definition"},
       .run = ShowModel},
      {.words = {"model", "decommission"},
       .summary = "Decommission a model: no new twins may use it",
       .description = "Like az dt model update --decommission. Prints the model afterwards.",
       .options = {DtmiOption("the model's id")},
       .examples = {"dtwin model decommission --dtmi 'dtmi:example:Room;1'"},
       .run = DecommissionModel},
      {.words = {"model", "delete"},
       .summary = "Delete a model that no other model references",
       .description = "Like az dt model delete. Prints nothing.",
       .options = {DtmiOption("the model's id")},
       .examples = {"dtwin model delete --dtmi 'dtmi:example:Room;1'"},
       .run = DeleteModel},
  };
}

}  // namespace dtwin::cli
