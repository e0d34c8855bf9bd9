// Models: upload (all or nothing, one store batch), listing with dependencies, lookup,
// decommissioning and deletion (adt-api.md 3.2).
#include <boost/json/array.hpp>
#include <mutex>
#include <shared_mutex>

#include "common/json_patch.h"
#include "common/json_writer.h"
#include "service/digital_twins_service.h"
#include "service/instance_state.h"
#include "service/paging.h"
#include "service/service_errors.h"
#include "service/store_records.h"

namespace dtwin::service {

namespace json = boost::json;

namespace {

// A DTDL displayName/description as ADT serves it: a language map ({} when absent). The
// parser already turns a plain string into {"en": ...}.
json::object LanguageMap(const json::value& value) {
  if (value.is_object()) return value.get_object();
  json::object map;
  if (value.is_string()) map["en"] = value.get_string();
  return map;
}

ModelInfo InfoOf(const dtdl::RegisteredModel& model, bool include_definition) {
  ModelInfo info;
  info.id = model.interface->id;
  info.display_name = LanguageMap(model.interface->display_name);
  info.description = LanguageMap(model.interface->description);
  info.upload_time = model.upload_time;
  info.decommissioned = model.decommissioned;
  if (include_definition) info.model = model.definition;
  return info;
}

// The body of POST /models as parser sources, or why it is not acceptable.
Result<std::vector<dtdl::ModelSource>> SourcesOf(const json::value& body, size_t max_models) {
  if (!body.is_array() || body.get_array().empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  "The request body must be a non-empty JSON array of DTDL Interfaces (even for "
                  "one model: [ {...} ])");
  }
  const json::array& array = body.get_array();
  if (array.size() > max_models) {
    return Status(ErrorCode::kLimitExceeded, "At most " + std::to_string(max_models) +
                                                 " models can be uploaded in one call; "
                                                 "this call has " +
                                                 std::to_string(array.size()) +
                                                 ". Upload them in batches "
                                                 "(a batch may reference models uploaded before).");
  }
  std::vector<dtdl::ModelSource> sources;
  sources.reserve(array.size());
  for (size_t i = 0; i < array.size(); ++i) {
    std::string name = "models[" + std::to_string(i) + "]";
    if (!array[i].is_object()) {
      return Status(ErrorCode::kInvalidArgument,
                    name + " is not a JSON object: each element must be a DTDL Interface");
    }
    const json::value* id = array[i].get_object().if_contains("@id");
    if (id != nullptr && id->is_string()) name += " (" + std::string(id->get_string()) + ")";
    sources.push_back({std::move(name), WriteJson(array[i])});
  }
  return sources;
}

// Only [{"op": "replace", "path": "/decommissioned", "value": true}, ...] is accepted.
Status CheckDecommissionPatch(const json::value& document) {
  Result<JsonPatch> patch = ParseJsonPatch(document);
  if (!patch.ok()) return std::move(patch).status();
  if (patch->empty()) {
    return Status(ErrorCode::kJsonPatchInvalid,
                  "The patch is empty; the only supported update is "
                  "[{\"op\": \"replace\", \"path\": \"/decommissioned\", \"value\": true}]");
  }
  for (size_t i = 0; i < patch->size(); ++i) {
    const PatchOperation& op = (*patch)[i];
    const std::string where = "operation " + std::to_string(i) + " (" + op.path + ")";
    if (op.kind != PatchOpKind::kReplace || op.path != "/decommissioned") {
      return Status(ErrorCode::kJsonPatchInvalid,
                    where +
                        ": only the decommissioned property of a model can be updated, with "
                        "{\"op\": \"replace\", \"path\": \"/decommissioned\", \"value\": true}");
    }
    if (!op.value.is_bool() || !op.value.get_bool()) {
      return Status(ErrorCode::kJsonPatchInvalid,
                    where +
                        ": the value must be true; a decommissioned model cannot be "
                        "recommissioned (upload a new version instead)");
    }
  }
  return Status::Ok();
}

}  // namespace

void DigitalTwinsService::AddModels(const json::value& body,
                                    Completion<std::vector<ModelInfo>> done) {
  InstanceState& state = *impl_;
  state.Write<std::vector<ModelInfo>>(
      [&](storage::WriteBatch& batch) -> Result<std::vector<ModelInfo>> {
        Result<std::vector<dtdl::ModelSource>> sources =
            SourcesOf(body, state.options.max_models_per_upload);
        if (!sources.ok()) return std::move(sources).status();
        auto added = state.models.AddBatch(*sources, state.Now());
        if (!added.ok()) return std::move(added).status();
        state.model_families.Clear();
        const uint64_t batch_number = state.next_batch++;
        std::vector<ModelInfo> infos;
        infos.reserve(added->size());
        for (const dtdl::RegisteredModel* model : *added) {
          state.model_batches[model->interface->id] = batch_number;
          batch.mutations.push_back(
              {storage::Mutation::Kind::kPutModel, model->interface->id, "",
               EncodeModelRecord(model->definition, model->upload_time, false, batch_number)});
          infos.push_back(InfoOf(*model, /*include_definition=*/false));
        }
        return infos;
      },
      std::move(done));
}

Result<Page<ModelInfo>> DigitalTwinsService::ListModels(
    const std::vector<std::string>& dependencies_for, bool include_definition,
    const PageRequest& page) const {
  const InstanceState& state = *impl_;
  std::shared_lock lock(state.mu);
  std::vector<const dtdl::RegisteredModel*> models;
  if (dependencies_for.empty()) {
    models = state.models.List();
  } else {
    for (const std::string& id : dependencies_for) {
      if (state.models.Find(id) == nullptr) return ModelNotFound(id);
    }
    auto with_dependencies = state.models.WithDependencies(dependencies_for);
    if (!with_dependencies.ok()) return std::move(with_dependencies).status();
    models = std::move(with_dependencies).value();
  }
  return PageOf<ModelInfo>(
      models, "models", 1, page, state.options,
      [](const dtdl::RegisteredModel* model) { return PageKey{model->interface->id}; },
      [&](const dtdl::RegisteredModel* model) { return InfoOf(*model, include_definition); });
}

Result<ModelInfo> DigitalTwinsService::GetModel(std::string_view id,
                                                bool include_definition) const {
  const InstanceState& state = *impl_;
  std::shared_lock lock(state.mu);
  const dtdl::RegisteredModel* model = state.models.Find(id);
  if (model == nullptr) return ModelNotFound(id);
  return InfoOf(*model, include_definition);
}

void DigitalTwinsService::UpdateModel(std::string_view id, const json::value& patch,
                                      StatusCompletion done) {
  InstanceState& state = *impl_;
  state.WriteStatus(
      [&](storage::WriteBatch& batch) -> Status {
        const dtdl::RegisteredModel* model = state.models.Find(id);
        if (model == nullptr) return ModelNotFound(id);
        if (Status valid = CheckDecommissionPatch(patch); !valid.ok()) return valid;
        if (Status decommissioned = state.models.Decommission(id); !decommissioned.ok()) {
          return decommissioned;
        }
        batch.mutations.push_back({storage::Mutation::Kind::kPutModel, std::string(id), "",
                                   EncodeModelRecord(model->definition, model->upload_time, true,
                                                     state.model_batches.find(id)->second)});
        return Status::Ok();
      },
      std::move(done));
}

void DigitalTwinsService::DeleteModel(std::string_view id, StatusCompletion done) {
  InstanceState& state = *impl_;
  state.WriteStatus(
      [&](storage::WriteBatch& batch) -> Status {
        if (state.models.Find(id) == nullptr) return ModelNotFound(id);
        if (Status deleted = state.models.Delete(id); !deleted.ok()) return deleted;
        state.model_families.Clear();
        state.model_batches.erase(state.model_batches.find(id));
        batch.mutations.push_back({storage::Mutation::Kind::kDeleteModel, std::string(id), "", ""});
        return Status::Ok();
      },
      std::move(done));
}

}  // namespace dtwin::service
