// Telemetry: checked against the twin and its components, never stored; routed as a
// microsoft.iot.telemetry event through the outbox (adt-api.md 3.6, 8).
#include <mutex>
#include <shared_mutex>

#include "service/digital_twins_service.h"
#include "service/instance_state.h"
#include "service/service_errors.h"
#include "service/twin_document.h"

namespace dtwin::service {

namespace {

// The model of the twin or component telemetry is sent to (the event's dataschema), or why
// it cannot be sent (the twin or component does not exist). Requires the instance lock.
Result<std::string> TelemetryModel(const InstanceState& state, std::string_view twin_id,
                                   std::string_view component) {
  const graph::Twin* twin = state.graph.FindTwin(twin_id);
  if (twin == nullptr) return TwinNotFound(twin_id);
  if (component.empty()) return twin->model_id;
  const dtdl::Element* interface = state.FindInterface(twin->model_id);
  if (interface == nullptr) {
    // A twin whose model was deleted: its components are what its document holds.
    if (!twin->document.contains(component)) return ComponentNotFound(twin_id, component);
    return std::string();
  }
  const dtdl::Element* content =
      FindContentOf(*interface, component, dtdl::ElementClass::kComponent);
  if (content == nullptr) return ComponentNotFound(twin_id, component);
  return content->schema != nullptr ? content->schema->id : std::string();
}

}  // namespace

void DigitalTwinsService::SendTelemetry(std::string_view twin_id, std::string_view component,
                                        const boost::json::value& body,
                                        std::string_view message_id,
                                        [[maybe_unused]] std::string_view source_time,
                                        StatusCompletion done) {
  if (message_id.empty()) {
    done(Status(ErrorCode::kInvalidArgument,
                "The Message-Id header is required: a unique id per telemetry message, used to "
                "de-duplicate it"));
    return;
  }
  InstanceState& state = *impl_;
  {
    // Telemetry changes no state: when no route exists it needs only the read lock.
    std::shared_lock lock(state.mu);
    Result<std::string> model = TelemetryModel(state, twin_id, component);
    if (!model.ok() || !state.outbox.Active(state.routes)) {
      lock.unlock();
      done(model.ok() ? Status::Ok() : model.status());
      return;
    }
  }
  // Routed: its event is committed to the outbox before the call succeeds, like a change's.
  // (Twin and component are checked again: they may have gone meanwhile.)
  state.WriteStatus(
      [&](storage::WriteBatch& batch) -> Status {
        Result<std::string> model = TelemetryModel(state, twin_id, component);
        if (!model.ok()) return model.status();
        state.EmitEvent(twin_id, batch, [&](const events::NotificationContext& context) {
          return events::TelemetryEvent(context, twin_id, component, *model, message_id, body);
        });
        return Status::Ok();
      },
      std::move(done));
}

}  // namespace dtwin::service
