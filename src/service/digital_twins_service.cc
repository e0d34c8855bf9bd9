// DigitalTwinsService plumbing: construction, start-up, flush and health. The operations
// live in one file per area (model_, twin_, component_, relationship_, telemetry_ and
// route_operations.cc).
#include "service/digital_twins_service.h"

#include "common/clock.h"
#include "graph/graph_documents.h"
#include "service/instance_loader.h"
#include "service/instance_state.h"

namespace dtwin::service {

std::chrono::system_clock::time_point InstanceState::Now() const {
  return TruncateToAdtTicks(options.now());
}

Status InstanceState::Writable() const {
  Status health = store->health();
  if (health.ok()) return health;
  return Status(ErrorCode::kServiceUnavailable,
                "The instance is read-only because storing a change failed (" + health.message() +
                    "); reads still work. Fix the cause and restart the service.");
}

void InstanceState::AppendTwinJson(const graph::Twin& twin, std::string& out) const {
  if (std::shared_ptr<const std::string> cached = serialized_twins.Find(twin.id, twin.etag)) {
    out += *cached;
    return;
  }
  auto json = std::make_shared<std::string>();
  json->reserve(2048);
  graph::AppendExpandedTwinJson(twin.document, *json);
  out += *json;
  serialized_twins.Insert(twin.id, twin.etag, std::move(json));
}

void InstanceState::AppendTwinJsonUncached(const graph::Twin& twin, std::string& out) const {
  if (std::shared_ptr<const std::string> cached = serialized_twins.Find(twin.id, twin.etag)) {
    out += *cached;
    return;
  }
  graph::AppendExpandedTwinJson(twin.document, out);
}

const dtdl::Element* InstanceState::FindInterface(std::string_view model_id) const {
  const dtdl::RegisteredModel* model = models.Find(model_id);
  return model != nullptr ? model->interface : nullptr;
}

DigitalTwinsService::DigitalTwinsService(std::unique_ptr<storage::Store> store,
                                         ServiceOptions options)
    : impl_(std::make_unique<Impl>(std::move(store), std::move(options))) {}

DigitalTwinsService::~DigitalTwinsService() = default;

Status DigitalTwinsService::Start() {
  std::unique_lock lock(impl_->mu);
  return LoadInstance(*impl_);
}

void DigitalTwinsService::Flush() {
  // Every write that has changed memory before this point queues its batch before it
  // releases commit_order_mu: passing through it once means all of them are queued.
  { std::lock_guard order(impl_->commit_order_mu); }
  impl_->store->Flush();
}

Status DigitalTwinsService::health() const { return impl_->Writable(); }

}  // namespace dtwin::service
