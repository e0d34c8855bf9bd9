// ModelRegistry: batches of Interfaces and the rules ADT applies to them.
#include "dtdl/model_registry.h"

#include <algorithm>
#include <unordered_set>

namespace dtwin::dtdl {

std::vector<const Element*> DirectDependencies(const Element& interface) {
  std::vector<const Element*> dependencies(interface.extends.begin(), interface.extends.end());
  for (const Element* content : interface.contents) {
    if (content->element_class == ElementClass::kComponent && content->schema) {
      dependencies.push_back(content->schema);
    }
  }
  return dependencies;
}

Result<std::vector<const RegisteredModel*>> ModelRegistry::AddBatch(
    const std::vector<ModelSource>& sources, std::chrono::system_clock::time_point upload_time) {
  ExistingInterfaceLookup lookup = [this](const std::string& id) -> const Element* {
    const RegisteredModel* model = Find(id);
    return model ? model->interface : nullptr;
  };
  ParseResult result = parser_.Parse(sources, lookup);
  if (!result.ok()) {
    Status status(ErrorCode::kDtdlParserError,
                  std::to_string(result.errors.size()) +
                      (result.errors.size() == 1 ? " problem" : " problems") +
                      " in the models; first: " + result.errors.front().message);
    for (const DtdlError& error : result.errors) {
      std::string where = error.source_index < sources.size() ? sources[error.source_index].name : "";
      if (error.line) {
        where += ":" + std::to_string(error.line) + ":" + std::to_string(error.column);
      } else if (!error.pointer.empty()) {
        where += " " + error.pointer;
      }
      status.AddDetail(Status(ErrorCode::kDtdlParserError,
                              (where.empty() ? "" : where + ": ") + error.message));
    }
    return status;
  }
  for (const Element* interface : result.models.interfaces) {
    if (Find(interface->id)) {
      return Status(ErrorCode::kModelAlreadyExists,
                    "Model '" + interface->id + "' already exists; models are immutable, so "
                    "upload a new version (e.g. ;2) or delete the existing one first");
    }
  }
  auto batch = std::make_shared<ParsedModels>(std::move(result.models));
  std::vector<const RegisteredModel*> added;
  for (size_t i = 0; i < batch->interfaces.size(); ++i) {
    RegisteredModel model;
    model.interface = batch->interfaces[i];
    model.definition = std::move(batch->definitions[i]);
    model.upload_time = upload_time;
    auto [it, inserted] = models_.emplace(model.interface->id, std::make_pair(std::move(model), batch));
    added.push_back(&it->second.first);
  }
  batch->definitions.clear();
  return added;
}

const RegisteredModel* ModelRegistry::Find(std::string_view id) const {
  auto it = models_.find(id);
  return it == models_.end() ? nullptr : &it->second.first;
}

std::vector<const RegisteredModel*> ModelRegistry::List() const {
  std::vector<const RegisteredModel*> all;
  all.reserve(models_.size());
  for (const auto& [id, entry] : models_) all.push_back(&entry.first);
  return all;
}

Result<std::vector<const RegisteredModel*>> ModelRegistry::WithDependencies(
    const std::vector<std::string>& ids) const {
  std::vector<const RegisteredModel*> out;
  std::unordered_set<std::string_view> seen;
  std::vector<const Element*> pending;
  for (const std::string& id : ids) {
    const RegisteredModel* model = Find(id);
    if (!model) return Status(ErrorCode::kModelNotFound, "Model '" + id + "' was not found");
    pending.push_back(model->interface);
  }
  while (!pending.empty()) {
    const Element* interface = pending.back();
    pending.pop_back();
    if (!seen.insert(interface->id).second) continue;
    if (const RegisteredModel* model = Find(interface->id)) out.push_back(model);
    for (const Element* dependency : DirectDependencies(*interface)) pending.push_back(dependency);
  }
  std::sort(out.begin(), out.end(), [](const RegisteredModel* a, const RegisteredModel* b) {
    return a->interface->id < b->interface->id;
  });
  return out;
}

Status ModelRegistry::Decommission(std::string_view id) {
  auto it = models_.find(id);
  if (it == models_.end()) {
    return Status(ErrorCode::kModelNotFound, "Model '" + std::string(id) + "' was not found");
  }
  it->second.first.decommissioned = true;
  return Status::Ok();
}

Status ModelRegistry::Delete(std::string_view id) {
  auto it = models_.find(id);
  if (it == models_.end()) {
    return Status(ErrorCode::kModelNotFound, "Model '" + std::string(id) + "' was not found");
  }
  const Element* target = it->second.first.interface;
  for (const auto& [other_id, entry] : models_) {
    if (other_id == id) continue;
    std::vector<const Element*> dependencies = DirectDependencies(*entry.first.interface);
    if (std::find(dependencies.begin(), dependencies.end(), target) != dependencies.end()) {
      return Status(ErrorCode::kModelReferencesNotDeleted,
                    "Model '" + std::string(id) + "' is used by model '" + other_id +
                        "' (extends or component); delete that model first");
    }
  }
  models_.erase(it);
  return Status::Ok();
}

}  // namespace dtwin::dtdl
