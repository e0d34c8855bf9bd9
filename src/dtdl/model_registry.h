// The models of one instance: upload batches (all or nothing), lookup, listing with
// dependencies, decommissioning and deletion (refused while other models depend on the
// model). Not thread-safe: the service serializes writes under its instance lock; const
// methods may run concurrently with each other.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "dtdl/model_parser.h"

namespace dtwin::dtdl {

struct RegisteredModel {
  const Element* interface = nullptr;
  boost::json::object definition;  // the Interface JSON as uploaded
  std::chrono::system_clock::time_point upload_time;
  bool decommissioned = false;
};

class ModelRegistry {
 public:
  explicit ModelRegistry(ParserOptions options = {}) : parser_(options) {}
  ModelRegistry(const ModelRegistry&) = delete;
  ModelRegistry& operator=(const ModelRegistry&) = delete;

  // Parses sources as one batch whose references may also name registered models. Adds
  // every Interface of the batch, or none: kDtdlParserError (one detail per problem, each
  // naming its source and place) when the batch is invalid, kModelAlreadyExists when an
  // Interface is already registered. On success returns the new models in input order.
  Result<std::vector<const RegisteredModel*>> AddBatch(
      const std::vector<ModelSource>& sources,
      std::chrono::system_clock::time_point upload_time = std::chrono::system_clock::now());

  // nullptr when id is not registered.
  const RegisteredModel* Find(std::string_view id) const;

  // Every registered model, ordered by id.
  std::vector<const RegisteredModel*> List() const;

  // The models ids depend on (extends, component schemas), transitively, plus ids
  // themselves: what ADT returns for GET /models?dependenciesFor=... kModelNotFound when an
  // id is not registered.
  Result<std::vector<const RegisteredModel*>> WithDependencies(
      const std::vector<std::string>& ids) const;

  // kModelNotFound when unknown. Decommissioning twice is fine.
  Status Decommission(std::string_view id);

  // kModelNotFound when unknown; kModelReferencesNotDeleted while another model extends it
  // or uses it as a component schema.
  Status Delete(std::string_view id);

  size_t size() const { return models_.size(); }

 private:
  ModelParser parser_;
  // Batches own the elements; a batch lives while any of its models is registered.
  std::map<std::string, std::pair<RegisteredModel, std::shared_ptr<const ParsedModels>>,
           std::less<>>
      models_;
};

// Direct dependencies of an Interface: its bases and its components' schemas.
std::vector<const Element*> DirectDependencies(const Element& interface);

}  // namespace dtwin::dtdl
