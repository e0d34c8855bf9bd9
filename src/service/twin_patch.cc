// Twin JSON Patch: classify every path against the (possibly new) model, apply all
// operations to a copy, then re-stamp metadata and validate the result.
#include "service/twin_patch.h"

#include <algorithm>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/json_pointer.h"
#include "common/json_writer.h"
#include "dtdl/instance_validator.h"
#include "service/service_errors.h"
#include "graph/graph_documents.h"
#include "service/notification_patches.h"
#include "service/twin_document.h"

namespace dtwin::service {

namespace json = boost::json;

namespace {

// A property named by an operation; component empty for a twin-level property.
struct Touched {
  std::string component;
  std::string property;
};

// An operation on a property's sourceTime.
struct SourceTimeOp {
  size_t index;
  std::string component;
  std::string property;
};

std::string Where(size_t index, const PatchOperation& op) {
  return "operation " + std::to_string(index) + " (" + std::string(PatchOpName(op.kind)) + " " +
         op.path + ")";
}

Status InvalidPath(size_t index, const PatchOperation& op, std::string_view why) {
  return Status(ErrorCode::kJsonPatchInvalid, Where(index, op) + ": " + std::string(why));
}

constexpr std::string_view kMetadataPaths =
    "the only writable paths under $metadata are /$metadata/$model (replace, to migrate the twin "
    "to another model) and /$metadata/<property>/sourceTime";

json::object* MetadataOf(json::object& owner) {
  json::value* metadata = owner.if_contains("$metadata");
  return metadata != nullptr && metadata->is_object() ? &metadata->get_object() : nullptr;
}

// The object holding component's properties (the twin itself when component is empty).
json::object* OwnerOf(json::object& twin, const std::string& component) {
  if (component.empty()) return &twin;
  json::value* value = twin.if_contains(component);
  return value != nullptr && value->is_object() ? &value->get_object() : nullptr;
}

// Drops the metadata entries of properties owner no longer has.
void DropOrphanMetadata(json::object& owner) {
  json::object* metadata = MetadataOf(owner);
  if (metadata == nullptr) return;
  for (auto it = metadata->begin(); it != metadata->end();) {
    if (!it->key().starts_with('$') && !owner.contains(it->key())) {
      it = metadata->erase(it);
    } else {
      ++it;
    }
  }
}

bool IsComponent(const dtdl::Element& interface, std::string_view name) {
  return FindContentOf(interface, name, dtdl::ElementClass::kComponent) != nullptr;
}

void AddUnique(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

// The model the patched twin will have: the target of a /$metadata/$model replace, else
// the current one. Checks the migration operations' shape.
Result<std::string> TargetModel(const json::object& current, const JsonPatch& patch,
                                bool& migrates) {
  migrates = false;
  std::string model_id;
  for (size_t i = 0; i < patch.size(); ++i) {
    const PatchOperation& op = patch[i];
    if (op.tokens.size() != 2 || op.tokens[0] != "$metadata" || op.tokens[1] != "$model") continue;
    if (op.kind != PatchOpKind::kReplace) {
      return InvalidPath(i, op,
                         "the model can only be replaced (op \"replace\"), which migrates the "
                         "twin to another model");
    }
    if (!op.value.is_string()) return InvalidPath(i, op, "the value must be a model id string");
    migrates = true;
    model_id = op.value.get_string();
  }
  if (!migrates) model_id = current.at("$metadata").at("$model").get_string();
  return model_id;
}

// What the operations of a patch write, by kind of path.
struct PatchPlan {
  std::vector<Touched> touched;                 // properties and their sub-values
  std::vector<std::string> touched_components;  // components written in any way
  std::vector<std::string> whole_components;    // components added or replaced whole
  std::vector<SourceTimeOp> source_times;
};

// Sorts the operations by what they write, refusing paths that are not writable.
// Components are those of interface, the model the twin has after the patch.
Result<PatchPlan> PlanPatch(const JsonPatch& patch, const dtdl::Element& interface) {
  PatchPlan plan;
  for (size_t i = 0; i < patch.size(); ++i) {
    const PatchOperation& op = patch[i];
    const std::vector<std::string>& t = op.tokens;
    if (t.empty()) {
      return InvalidPath(i, op, "the whole twin cannot be patched; replace it with PUT");
    }
    if (t[0] == "$metadata") {
      if (t.size() == 2 && t[1] == "$model") continue;  // checked by TargetModel
      if (t.size() != 3 || t[1].starts_with('$') || t[2] != "sourceTime") {
        return InvalidPath(i, op, kMetadataPaths);
      }
      plan.source_times.push_back({i, "", t[1]});
    } else if (t[0].starts_with('$')) {
      return InvalidPath(i, op, "'" + t[0] + "' is a system property and cannot be patched");
    } else if (IsComponent(interface, t[0])) {
      AddUnique(plan.touched_components, t[0]);
      if (t.size() == 1) {
        if (op.kind != PatchOpKind::kRemove) AddUnique(plan.whole_components, t[0]);
      } else if (t[1] == "$metadata") {
        if (t.size() != 4 || t[2].starts_with('$') || t[3] != "sourceTime") {
          return InvalidPath(i, op,
                             "the only writable paths under a component's $metadata are "
                             "/<component>/$metadata/<property>/sourceTime");
        }
        plan.source_times.push_back({i, t[0], t[2]});
      } else if (t[1].starts_with('$')) {
        return InvalidPath(i, op, "'" + t[1] + "' is a system property and cannot be patched");
      } else {
        plan.touched.push_back({t[0], t[1]});
      }
    } else {
      plan.touched.push_back({"", t[0]});
    }
  }
  return plan;
}

// Checks the values of the sourceTime operations and readies twin for them: setting a
// sourceTime is the same whether or not one was set before, and the property's metadata
// entry may not exist yet (the property is set in this very patch).
Status PrepareSourceTimes(const PatchPlan& plan, JsonPatch& patch, json::object& twin) {
  for (const SourceTimeOp& source_time : plan.source_times) {
    PatchOperation& op = patch[source_time.index];
    if (op.kind == PatchOpKind::kRemove) continue;
    if (Status status = CheckSourceTime(op.value, Where(source_time.index, op)); !status.ok()) {
      return status;
    }
    op.kind = PatchOpKind::kAdd;
    json::object* owner = OwnerOf(twin, source_time.component);
    json::object* metadata = owner != nullptr ? MetadataOf(*owner) : nullptr;
    if (metadata != nullptr && !metadata->contains(source_time.property)) {
      (*metadata)[source_time.property] = json::object();
    }
  }
  return Status::Ok();
}

// The metadata bookkeeping of a patched twin: components written whole are stamped, a
// sourceTime needs its property, metadata of removed properties goes, and what was written
// gets lastUpdateTime = now.
Status Restamp(const PatchPlan& plan, const JsonPatch& patch, const dtdl::Element& interface,
               std::string_view now, json::object& twin) {
  for (const std::string& component : plan.whole_components) {
    json::value* value = twin.if_contains(component);
    if (value == nullptr || !value->is_object()) continue;  // ValidateTwin reports it
    Result<json::object> stamped =
        StampComponent(value->get_object(), now, "/" + EscapeJsonPointerToken(component));
    if (!stamped.ok()) return std::move(stamped).status();
    *value = std::move(stamped).value();
  }
  std::vector<std::string> touched_components = plan.touched_components;
  for (const SourceTimeOp& source_time : plan.source_times) {
    const PatchOperation& op = patch[source_time.index];
    json::object* owner = OwnerOf(twin, source_time.component);
    if (op.kind != PatchOpKind::kRemove && owner != nullptr &&
        !owner->contains(source_time.property)) {
      return Status(ErrorCode::kValidationFailed,
                    Where(source_time.index, op) + ": the property '" + source_time.property +
                        "' has no value, so it has no sourceTime; set the property too");
    }
    if (!source_time.component.empty()) AddUnique(touched_components, source_time.component);
  }
  DropOrphanMetadata(twin);
  for (json::key_value_pair& member : twin) {
    if (member.value().is_object() && IsComponent(interface, member.key())) {
      DropOrphanMetadata(member.value().get_object());
    }
  }
  for (const Touched& property : plan.touched) {
    json::object* owner = OwnerOf(twin, property.component);
    json::object* metadata = owner != nullptr ? MetadataOf(*owner) : nullptr;
    if (metadata != nullptr && owner->contains(property.property)) {
      TouchProperty(*metadata, property.property, now);
    }
  }
  for (const std::string& component : touched_components) {
    json::object* owner = OwnerOf(twin, component);
    if (json::object* metadata = owner != nullptr ? MetadataOf(*owner) : nullptr) {
      (*metadata)["$lastUpdateTime"] = now;
    }
  }
  if (json::object* metadata = MetadataOf(twin)) (*metadata)["$lastUpdateTime"] = now;
  return Status::Ok();
}

}  // namespace

Result<json::object> PatchTwinDocument(const json::object& current, JsonPatch patch,
                                       const dtdl::ModelRegistry& models, std::string_view now) {
  bool migrates = false;
  Result<std::string> model_id = TargetModel(current, patch, migrates);
  if (!model_id.ok()) return std::move(model_id).status();
  const dtdl::RegisteredModel* model = models.Find(*model_id);
  if (model == nullptr) {
    if (!migrates) return ModelOfTwinDeleted(current.at("$dtId").get_string(), *model_id);
    return Status(ErrorCode::kValidationFailed,
                  "Invalid twin specified: the model " + *model_id +
                      " was not found; upload it (POST /models) before migrating twins to it");
  }
  if (migrates && model->decommissioned) {
    return Status(ErrorCode::kModelDecommissioned,
                  "The model " + *model_id +
                      " is decommissioned: twins cannot be created with it or migrated to it");
  }
  const dtdl::Element& interface = *model->interface;
  Result<PatchPlan> plan = PlanPatch(patch, interface);
  if (!plan.ok()) return std::move(plan).status();

  json::value working = current;
  if (Status ready = PrepareSourceTimes(*plan, patch, working.get_object()); !ready.ok()) {
    return ready;
  }
  if (Status applied = ApplyJsonPatch(patch, working); !applied.ok()) return applied;
  if (Status stamped = Restamp(*plan, patch, interface, now, working.get_object()); !stamped.ok()) {
    return stamped;
  }
  if (Status valid = dtdl::ValidateTwin(interface, working); !valid.ok()) return valid;
  if (Status sized = CheckSizeLimits(working, "twin"); !sized.ok()) return sized;
  return std::move(working.get_object());
}

Result<std::string> CommitTwinPatch(InstanceState& state, const graph::Twin& twin, JsonPatch patch,
                                    storage::WriteBatch& batch) {
  // Built before the patch is consumed; used only when it reaches a route.
  json::array event_patch = state.outbox.Active(state.routes) ? NotificationPatch(patch) : json::array();
  Result<json::object> document =
      PatchTwinDocument(graph::ExpandTwinDocument(twin.document), std::move(patch), state.models,
                        FormatAdtTime(state.Now()));
  if (!document.ok()) return std::move(document).status();
  std::string etag = graph::NewEtag();
  (*document)["$etag"] = etag;
  std::string model_id(document->at("$metadata").at("$model").get_string());
  batch.mutations.push_back({storage::Mutation::Kind::kPutTwin, twin.id, "", WriteJson(*document)});
  state.EmitEvent(twin.id, batch, [&](const events::NotificationContext& context) {
    return events::TwinUpdatedEvent(context, twin.id, model_id, event_patch);
  });
  state.graph.UpsertTwin(graph::Twin{twin.id, std::move(model_id), etag,
                                     graph::CompactTwinDocument(std::move(document).value())});
  return etag;
}

}  // namespace dtwin::service
