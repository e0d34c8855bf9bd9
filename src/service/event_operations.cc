// Event delivery as the service exposes it (a dtwin extension): starting it, the endpoints
// and their metrics, and the dead letters with their replay. Routing itself happens in each
// write (EventOutbox).
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <mutex>
#include <shared_mutex>

#include "events/cloud_event_json.h"
#include "service/digital_twins_service.h"
#include "service/instance_state.h"
#include "service/paging.h"

namespace dtwin::service {

namespace {

constexpr char kDeadLetterListing[] = "deadletters";

// Ids as fixed-width text, so that the page key's string order is the ids' order.
std::string DeadLetterKey(uint64_t id) {
  char text[21];
  std::snprintf(text, sizeof text, "%020" PRIu64, id);
  return text;
}

Status EndpointNotFound(std::string_view endpoint) {
  return Status(ErrorCode::kNotFound, "There is no endpoint named " + std::string(endpoint) +
                                          "; endpoints are declared with --endpoint NAME=URL");
}

}  // namespace

Status DigitalTwinsService::StartEventDelivery(
    std::vector<std::pair<std::string, events::SinkFactory>> endpoints,
    events::DeliveryOptions options, std::string source) {
  // Time-to-live and latency count from the commit times the service records.
  options.now = impl_->options.now;
  std::unique_lock lock(impl_->mu);
  return impl_->outbox.Start(std::move(endpoints), std::move(options), std::move(source));
}

std::vector<events::EndpointInfo> DigitalTwinsService::ListEndpoints() const {
  return impl_->outbox.Endpoints();
}

Result<events::EndpointInfo> DigitalTwinsService::GetEndpoint(std::string_view name) const {
  for (events::EndpointInfo& endpoint : impl_->outbox.Endpoints()) {
    if (endpoint.name == name) return std::move(endpoint);
  }
  return EndpointNotFound(name);
}

std::string DigitalTwinsService::EventMetricsText() const { return impl_->outbox.MetricsText(); }

Result<Page<DeadLetter>> DigitalTwinsService::ListDeadLetters(std::string_view endpoint,
                                                              const PageRequest& page) const {
  const InstanceState& state = *impl_;
  if (!state.outbox.HasEndpoint(endpoint)) return EndpointNotFound(endpoint);
  uint64_t after = 0;
  if (!page.continuation.empty()) {
    Result<PageKey> key = DecodeContinuation(kDeadLetterListing, page.continuation, 1);
    if (!key.ok()) return std::move(key).status();
    const std::string& text = key->front();
    if (std::from_chars(text.data(), text.data() + text.size(), after).ec != std::errc()) {
      return Status(ErrorCode::kBadRequest, "The continuation token is not valid for this listing");
    }
  }
  const size_t size = PageSizeOf(page, state.options);
  std::vector<DeadLetterRecord> records = state.outbox.DeadLetters(endpoint, after, size + 1);
  Page<DeadLetter> out;
  for (size_t i = 0; i < records.size() && i < size; ++i) {
    const DeadLetterRecord& record = records[i];
    out.items.push_back(DeadLetter{record.entry.seq, record.entry.endpoint, record.reason,
                                   record.dead_lettered_at, record.entry.committed_at,
                                   events::StructuredCloudEventJson(record.entry.event)});
  }
  if (records.size() > size) {
    out.continuation = EncodeContinuation(kDeadLetterListing, {DeadLetterKey(out.items.back().id)});
  }
  return out;
}

void DigitalTwinsService::ReplayDeadLetters(std::string_view endpoint, Completion<size_t> done) {
  InstanceState& state = *impl_;
  state.Write<size_t>(
      [&](storage::WriteBatch& batch) -> Result<size_t> {
        if (!state.outbox.HasEndpoint(endpoint)) return EndpointNotFound(endpoint);
        return state.outbox.Replay(endpoint, state.Now(), batch);
      },
      std::move(done));
}

}  // namespace dtwin::service
