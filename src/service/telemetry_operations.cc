// Telemetry: checked against the twin and its components, never stored (adt-api.md 3.6).
#include <mutex>
#include <shared_mutex>

#include "service/digital_twins_service.h"
#include "service/instance_state.h"
#include "service/service_errors.h"
#include "service/twin_document.h"

namespace dtwin::service {

namespace {

// Why telemetry cannot be sent to twin_id (and component, when not empty); OK when it can.
// Requires the instance lock.
Status CheckTelemetryTarget(const InstanceState& state, std::string_view twin_id,
                            std::string_view component) {
  const graph::Twin* twin = state.graph.FindTwin(twin_id);
  if (twin == nullptr) return TwinNotFound(twin_id);
  if (component.empty()) return Status::Ok();
  const dtdl::Element* interface = state.FindInterface(twin->model_id);
  if (interface != nullptr
          ? FindContentOf(*interface, component, dtdl::ElementClass::kComponent) == nullptr
          : !twin->document.contains(component)) {
    return ComponentNotFound(twin_id, component);
  }
  return Status::Ok();
}

}  // namespace

void DigitalTwinsService::SendTelemetry(std::string_view twin_id, std::string_view component,
                                        [[maybe_unused]] const boost::json::value& body,
                                        std::string_view message_id,
                                        [[maybe_unused]] std::string_view source_time,
                                        StatusCompletion done) {
  if (message_id.empty()) {
    done(Status(ErrorCode::kInvalidArgument,
                "The Message-Id header is required: a unique id per telemetry message, used to "
                "de-duplicate it"));
    return;
  }
  Status target;
  {
    std::shared_lock lock(impl_->mu);
    target = CheckTelemetryTarget(*impl_, twin_id, component);
  }
  // Telemetry changes no state. Any JSON body is accepted, as ADT does (the JS SDK even
  // sends a JSON string). Event routing (the events subsystem, not built yet) publishes a
  // microsoft.iot.telemetry event from twin_id, component, body, message_id and
  // source_time at this point.
  done(std::move(target));
}

}  // namespace dtwin::service
