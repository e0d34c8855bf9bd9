// Digital twins: read, create-or-replace, patch and delete (adt-api.md 3.3, 4.1, 5).
#include <mutex>
#include <shared_mutex>

#include "common/clock.h"
#include "common/json_patch.h"
#include "common/json_writer.h"
#include "dtdl/instance_validator.h"
#include "service/digital_twins_service.h"
#include "service/instance_state.h"
#include "service/service_errors.h"
#include "graph/graph_documents.h"
#include "service/twin_document.h"
#include "service/notification_patches.h"
#include "service/twin_patch.h"

namespace dtwin::service {

namespace json = boost::json;

namespace {

// The model a PUT body names in "$metadata"."$model", registered and usable for new twins.
Result<const dtdl::RegisteredModel*> ModelOfPut(const InstanceState& state,
                                                const json::object& body) {
  const json::value* metadata = body.if_contains("$metadata");
  const json::value* model_id = metadata != nullptr && metadata->is_object()
                                    ? metadata->get_object().if_contains("$model")
                                    : nullptr;
  if (model_id == nullptr || !model_id->is_string()) {
    return Status(ErrorCode::kValidationFailed,
                  "Invalid twin specified: \"$metadata\": {\"$model\": \"<model id>\"} is "
                  "required, naming the twin's model");
  }
  const dtdl::RegisteredModel* model = state.models.Find(model_id->get_string());
  if (model == nullptr) {
    std::string id(model_id->get_string());
    Status status(ErrorCode::kValidationFailed,
                  "Invalid twin specified: the model " + id +
                      " was not found; upload it (POST /models) before creating twins of it");
    status.AddDetail(
        Status(ErrorCode::kValidationFailed, id + " or one of its dependencies does not exist."));
    return status;
  }
  if (model->decommissioned) {
    return Status(ErrorCode::kModelDecommissioned,
                  "The model " + model->interface->id +
                      " is decommissioned: new twins cannot be created with it");
  }
  return model;
}

}  // namespace

Result<Document> DigitalTwinsService::GetTwin(std::string_view id) const {
  const InstanceState& state = *impl_;
  std::shared_lock lock(state.mu);
  const graph::Twin* twin = state.graph.FindTwin(id);
  if (twin == nullptr) return TwinNotFound(id);
  return Document{graph::ExpandTwinDocument(twin->document), twin->etag};
}

Result<SerializedDocument> DigitalTwinsService::GetTwinJson(std::string_view id) const {
  const InstanceState& state = *impl_;
  std::shared_lock lock(state.mu);
  const graph::Twin* twin = state.graph.FindTwin(id);
  if (twin == nullptr) return TwinNotFound(id);
  SerializedDocument out;
  out.etag = twin->etag;
  state.AppendTwinJson(*twin, out.json);
  return out;
}

void DigitalTwinsService::PutTwin(std::string_view id, const json::value& body,
                                  const Preconditions& pre, Completion<Document> done) {
  InstanceState& state = *impl_;
  state.Write<Document>(
      [&](storage::WriteBatch& batch) -> Result<Document> {
        if (!body.is_object()) {
          return Status(ErrorCode::kInvalidArgument, "The twin must be a JSON object");
        }
        const graph::Twin* existing = state.graph.FindTwin(id);
        if (Status met = CheckTwinPreconditions(pre, existing ? &existing->etag : nullptr, id);
            !met.ok()) {
          return met;
        }
        // The path names the twin and the service its etag: the body's (even null) are ignored.
        json::object twin = body.get_object();
        twin.erase("$dtId");
        twin.erase("$etag");
        Result<const dtdl::RegisteredModel*> model = ModelOfPut(state, twin);
        if (!model.ok()) return std::move(model).status();
        const dtdl::Element& interface = *(*model)->interface;
        if (Status valid = dtdl::ValidateTwin(interface, twin); !valid.ok()) return valid;
        if (Status sized = CheckSizeLimits(twin, "twin"); !sized.ok()) return sized;
        std::string etag = graph::NewEtag();
        Result<json::object> document =
            BuildTwinDocument(id, etag, interface.id, twin, interface, FormatAdtTime(state.Now()));
        if (!document.ok()) return std::move(document).status();
        batch.mutations.push_back(
            {storage::Mutation::Kind::kPutTwin, std::string(id), "", WriteJson(*document)});
        state.EmitEvent(id, batch, [&](const events::NotificationContext& context) {
          if (existing == nullptr) return events::TwinCreatedEvent(context, *document);
          return events::TwinUpdatedEvent(
              context, id, interface.id,
              ChangePatch(graph::ExpandTwinDocument(existing->document), *document));
        });
        Document out{*document, etag};
        state.graph.UpsertTwin(graph::Twin{std::string(id), interface.id, std::move(etag),
                                           graph::CompactTwinDocument(std::move(document).value())});
        return out;
      },
      std::move(done));
}

void DigitalTwinsService::PatchTwin(std::string_view id, const json::value& patch,
                                    const Preconditions& pre, Completion<std::string> done) {
  InstanceState& state = *impl_;
  state.Write<std::string>(
      [&](storage::WriteBatch& batch) -> Result<std::string> {
        const graph::Twin* twin = state.graph.FindTwin(id);
        if (twin == nullptr) return TwinNotFound(id);
        if (Status met = CheckTwinPreconditions(pre, &twin->etag, id); !met.ok()) return met;
        Result<JsonPatch> parsed = ParseJsonPatch(patch);
        if (!parsed.ok()) return std::move(parsed).status();
        return CommitTwinPatch(state, *twin, std::move(parsed).value(), batch);
      },
      std::move(done));
}

void DigitalTwinsService::DeleteTwin(std::string_view id, const Preconditions& pre,
                                     StatusCompletion done) {
  InstanceState& state = *impl_;
  state.WriteStatus(
      [&](storage::WriteBatch& batch) -> Status {
        const graph::Twin* twin = state.graph.FindTwin(id);
        if (twin == nullptr) return TwinNotFound(id);
        if (Status met = CheckTwinPreconditions(pre, &twin->etag, id); !met.ok()) return met;
        const size_t outgoing = state.graph.OutgoingCount(id);
        const size_t incoming = state.graph.IncomingCount(id);
        if (outgoing + incoming > 0) {
          return Status(ErrorCode::kRelationshipsNotDeleted,
                        "Digital twin " + std::string(id) + " still has " +
                            std::to_string(outgoing) + " outgoing and " + std::to_string(incoming) +
                            " incoming relationships; delete them before deleting the twin.");
        }
        state.EmitEvent(id, batch, [&](const events::NotificationContext& context) {
          return events::TwinDeletedEvent(context, graph::ExpandTwinDocument(twin->document));
        });
        state.graph.EraseTwin(id);
        batch.mutations.push_back({storage::Mutation::Kind::kDeleteTwin, std::string(id), "", ""});
        return Status::Ok();
      },
      std::move(done));
}

}  // namespace dtwin::service
