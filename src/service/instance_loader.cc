// Start-up load: records are decoded as they stream in; models are registered at the end,
// grouped by upload batch.
#include "service/instance_loader.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "common/json_writer.h"
#include "service/store_records.h"
#include "graph/graph_documents.h"

namespace dtwin::service {

namespace {

struct StoredModel {
  std::string id;
  ModelRecord record;
};

// Re-registers the stored models batch by batch, in the order they were uploaded.
Status RegisterModels(InstanceState& state, std::vector<StoredModel>& stored) {
  std::stable_sort(stored.begin(), stored.end(), [](const StoredModel& a, const StoredModel& b) {
    return a.record.batch < b.record.batch;
  });
  for (size_t begin = 0; begin < stored.size();) {
    size_t end = begin;
    std::vector<dtdl::ModelSource> sources;
    while (end < stored.size() && stored[end].record.batch == stored[begin].record.batch) {
      sources.push_back({stored[end].id, WriteJson(stored[end].record.model)});
      ++end;
    }
    const uint64_t batch = stored[begin].record.batch;
    auto added = state.models.AddBatch(sources, stored[begin].record.upload_time);
    if (!added.ok()) {
      Status status(ErrorCode::kInternal,
                    "the stored models of upload batch " + std::to_string(batch) + " (first " +
                        stored[begin].id + ") no longer load: " + added.status().message());
      for (const Status& detail : added.status().details()) status.AddDetail(detail);
      return status;
    }
    for (size_t i = begin; i < end; ++i) {
      state.model_batches[stored[i].id] = batch;
      if (stored[i].record.decommissioned) {
        // The model was registered just above, so Decommission cannot fail.
        (void)state.models.Decommission(stored[i].id);
      }
    }
    state.next_batch = std::max(state.next_batch, batch + 1);
    begin = end;
  }
  return Status::Ok();
}

}  // namespace

Status LoadInstance(InstanceState& state) {
  std::vector<StoredModel> models;
  storage::LoadVisitor visitor;
  visitor.model = [&](const std::string& id, const std::string& value) -> Status {
    Result<ModelRecord> record = DecodeModelRecord(id, value);
    if (!record.ok()) return std::move(record).status();
    models.push_back({id, std::move(record).value()});
    return Status::Ok();
  };
  visitor.twin = [&](const std::string& id, const std::string& value) -> Status {
    Result<graph::Twin> twin = DecodeTwinRecord(id, value);
    if (!twin.ok()) return std::move(twin).status();
    twin->document = graph::CompactTwinDocument(std::move(twin->document));
    state.graph.UpsertTwin(std::move(twin).value());
    return Status::Ok();
  };
  // Twins are all loaded before the first relationship (the store's order).
  visitor.relationship = [&](const std::string& source_id, const std::string& relationship_id,
                             const std::string& value) -> Status {
    Result<graph::Relationship> relationship =
        DecodeRelationshipRecord(source_id, relationship_id, value);
    if (!relationship.ok()) return std::move(relationship).status();
    for (const std::string* twin_id : {&relationship->source_id, &relationship->target_id}) {
      if (state.graph.FindTwin(*twin_id) == nullptr) {
        return Status(ErrorCode::kInternal,
                      "the store is inconsistent: relationship " + relationship_id + " of twin " +
                          source_id + " refers to twin " + *twin_id + ", which does not exist");
      }
    }
    relationship->document = graph::RelationshipProperties(relationship->document);
    state.graph.UpsertRelationship(std::move(relationship).value());
    return Status::Ok();
  };
  visitor.route = [&](const std::string& id, const std::string& value) -> Status {
    Result<EventRoute> route = DecodeRouteRecord(id, value);
    if (!route.ok()) return std::move(route).status();
    state.routes[id] = std::move(route).value();
    return Status::Ok();
  };
  visitor.outbox_event = [&](uint64_t seq, const std::string& endpoint, const std::string& value) {
    return state.outbox.LoadOutboxRow(seq, endpoint, value);
  };
  visitor.dead_letter = [&](uint64_t seq, const std::string& endpoint, const std::string& value) {
    return state.outbox.LoadDeadLetter(seq, endpoint, value);
  };
  if (Status loaded = state.store->Load(visitor); !loaded.ok()) return loaded;
  return RegisterModels(state, models);
}

}  // namespace dtwin::service
