// Cached model families for IS_OF_MODEL (see the header).
#include "service/model_families.h"

namespace dtwin::service {

std::vector<std::string> ModelFamilies::Of(const dtdl::ModelRegistry& models,
                                           std::string_view model_id) const {
  const std::string key(model_id);
  {
    std::lock_guard lock(mu_);
    if (auto it = families_.find(key); it != families_.end()) return it->second;
  }
  std::vector<std::string> family{key};
  for (const dtdl::RegisteredModel* model : models.List()) {
    const std::string& id = model->interface->id;
    if (id != model_id && model->interface->IsOrExtends(model_id)) family.push_back(id);
  }
  std::lock_guard lock(mu_);
  families_.emplace(key, family);
  return family;
}

void ModelFamilies::Clear() {
  std::lock_guard lock(mu_);
  families_.clear();
}

}  // namespace dtwin::service
