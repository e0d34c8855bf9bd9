// Components of a twin: read one, and patch one with paths relative to it (adt-api.md 3.4).
#include <mutex>
#include <shared_mutex>

#include "common/json_patch.h"
#include "service/digital_twins_service.h"
#include "service/instance_state.h"
#include "service/service_errors.h"
#include "service/twin_document.h"
#include "service/twin_patch.h"

namespace dtwin::service {

namespace json = boost::json;

namespace {

// The component object of twin, or nullptr when component is not one of its components: a
// Component of its model, or, when the model was deleted, a member shaped like one.
const json::object* FindComponent(const InstanceState& state, const graph::Twin& twin,
                                  std::string_view component) {
  if (component.starts_with('$')) return nullptr;
  const dtdl::Element* interface = state.FindInterface(twin.model_id);
  if (interface != nullptr &&
      FindContentOf(*interface, component, dtdl::ElementClass::kComponent) == nullptr) {
    return nullptr;
  }
  const json::value* value = twin.document.if_contains(component);
  if (value == nullptr || !value->is_object()) return nullptr;
  if (interface == nullptr && !value->get_object().contains("$metadata")) return nullptr;
  return &value->get_object();
}

}  // namespace

Result<Document> DigitalTwinsService::GetComponent(std::string_view twin_id,
                                                   std::string_view component) const {
  const InstanceState& state = *impl_;
  std::shared_lock lock(state.mu);
  const graph::Twin* twin = state.graph.FindTwin(twin_id);
  if (twin == nullptr) return TwinNotFound(twin_id);
  const json::object* object = FindComponent(state, *twin, component);
  if (object == nullptr) return ComponentNotFound(twin_id, component);
  return Document{*object, twin->etag};
}

void DigitalTwinsService::PatchComponent(std::string_view twin_id, std::string_view component,
                                         const json::value& patch, const Preconditions& pre,
                                         Completion<std::string> done) {
  InstanceState& state = *impl_;
  state.Write<std::string>(
      [&](storage::WriteBatch& batch) -> Result<std::string> {
        const graph::Twin* twin = state.graph.FindTwin(twin_id);
        if (twin == nullptr) return TwinNotFound(twin_id);
        if (FindComponent(state, *twin, component) == nullptr) {
          return ComponentNotFound(twin_id, component);
        }
        if (Status met = CheckTwinPreconditions(pre, &twin->etag, twin_id); !met.ok()) return met;
        Result<JsonPatch> parsed = ParseJsonPatch(patch);
        if (!parsed.ok()) return std::move(parsed).status();
        // The paths are relative to the component; messages keep them as the client sent them.
        for (PatchOperation& op : *parsed) {
          op.tokens.insert(op.tokens.begin(), std::string(component));
        }
        return CommitTwinPatch(state, *twin, std::move(parsed).value(), batch);
      },
      std::move(done));
}

}  // namespace dtwin::service
