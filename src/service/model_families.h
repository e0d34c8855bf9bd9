// The model ids IS_OF_MODEL accepts for a model: the model and every registered model that
// extends it, directly or not. Computed on first use (a walk over every model) and kept until
// the models change. Thread-safe (one internal mutex); callers pass the registry while holding
// the instance lock, shared or exclusive.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dtdl/model_registry.h"

namespace dtwin::service {

class ModelFamilies {
 public:
  std::vector<std::string> Of(const dtdl::ModelRegistry& models, std::string_view model_id) const;

  // Call whenever a model is added or deleted.
  void Clear();

 private:
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, std::vector<std::string>> families_;  // guarded by mu_
};

}  // namespace dtwin::service
