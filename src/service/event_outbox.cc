// EventOutbox: routing at write time, the outbox rows, and the journal the engine reports to.
#include "service/event_outbox.h"

#include <boost/json/parse.hpp>

#include "common/clock.h"
#include "common/uuid.h"
#include "events/cloud_event_filter_input.h"
#include "service/request_trace.h"

namespace dtwin::service {

namespace json = boost::json;

namespace {

constexpr char kOutboxFullReason[] =
    "outbox full: the endpoint's delivery queue was at its limit when the change was committed";

storage::Mutation OutboxRow(storage::Mutation::Kind kind, uint64_t seq, std::string endpoint,
                            std::string value) {
  return {kind, std::to_string(seq), std::move(endpoint), std::move(value)};
}

}  // namespace

EventOutbox::EventOutbox(storage::Store& store) : store_(store) {}

EventOutbox::~EventOutbox() {
  engine_.reset();  // no delivery reports after this
  // Each flush runs the callbacks of the batches queued so far; a delete batch's callback may
  // queue the next one, so flush until none is in flight.
  while (true) {
    store_.Flush();
    std::lock_guard lock(acks_mu_);
    if (!deletes_in_flight_) break;
  }
}

Status EventOutbox::LoadOutboxRow(uint64_t seq, const std::string& endpoint,
                                  const std::string& value) {
  Result<events::OutboxEntry> entry = DecodeOutboxRecord(seq, endpoint, value);
  if (!entry.ok()) return entry.status();
  next_seq_ = std::max(next_seq_, seq + 1);
  loaded_.push_back(std::move(entry).value());
  return Status::Ok();
}

Status EventOutbox::LoadDeadLetter(uint64_t seq, const std::string& endpoint,
                                   const std::string& value) {
  Result<DeadLetterRecord> record = DecodeDeadLetterRecord(seq, endpoint, value);
  if (!record.ok()) return record.status();
  next_seq_ = std::max(next_seq_, seq + 1);
  std::lock_guard lock(dead_letters_mu_);
  dead_letters_.emplace(seq, std::move(record).value());
  return Status::Ok();
}

Status EventOutbox::Start(std::vector<std::pair<std::string, events::SinkFactory>> endpoints,
                          events::DeliveryOptions options, std::string source) {
  if (engine_ != nullptr) {
    return Status(ErrorCode::kInternal, "event delivery is already started");
  }
  Result<std::unique_ptr<events::DeliveryEngine>> engine =
      events::DeliveryEngine::Make(std::move(endpoints), std::move(options), *this);
  if (!engine.ok()) return engine.status();
  engine_ = std::move(engine).value();
  source_ = std::move(source);
  engine_->Enqueue(std::exchange(loaded_, {}));
  return Status::Ok();
}

events::NotificationContext EventOutbox::Context(std::chrono::system_clock::time_point now) {
  return events::NotificationContext{
      .source = source_,
      .time = FormatAdtTime(now),
      .traceparent = events::OperationTraceparent(CurrentRequestTraceparent(), trace_random_),
      .new_event_id = [] { return NewUuid(); }};
}

void EventOutbox::Emit(const RouteMap& routes, std::string partition_key, events::CloudEvent event,
                       std::chrono::system_clock::time_point now, storage::WriteBatch& batch) {
  // The routes' filters, compiled once per distinct text.
  std::vector<std::pair<const EventRoute*, const RouteFilter*>> compiled;
  bool reads_body = false;
  for (const auto& [id, route] : routes) {
    auto filter = filters_.find(route.filter);
    if (filter == filters_.end()) {
      // Stored routes were parsed when they were written, so this cannot fail.
      Result<RouteFilter> parsed = RouteFilter::Parse(route.filter);
      if (!parsed.ok()) continue;
      filter = filters_.emplace(route.filter, std::move(parsed).value()).first;
    }
    compiled.emplace_back(&route, &filter->second);
    reads_body = reads_body || filter->second.reads_body();
  }
  // $body filters read the data: parsed once for all routes, and only when one needs it.
  json::value data;
  if (reads_body && !event.data.empty()) {
    boost::system::error_code error;
    data = json::parse(event.data, error);
  }
  const FilterInput input =
      events::CloudEventFilterInput(event, reads_body && !event.data.empty() ? &data : nullptr);
  std::vector<std::string_view> endpoints;  // each gets the event once, however many routes
  for (const auto& [route, filter] : compiled) {
    if (!filter->Matches(input)) continue;
    if (std::find(endpoints.begin(), endpoints.end(), route->endpoint_name) == endpoints.end()) {
      endpoints.push_back(route->endpoint_name);
    }
  }
  for (std::string_view endpoint : endpoints) {
    events::OutboxEntry entry{next_seq_++, std::string(endpoint), partition_key, now, event};
    if (engine_->Full(endpoint)) {
      engine_->CountDeadLetteredWhenFull(endpoint);
      DeadLetterRecord record{std::move(entry), kOutboxFullReason, now};
      batch.mutations.push_back(OutboxRow(storage::Mutation::Kind::kPutDeadLetter, record.entry.seq,
                                          record.entry.endpoint, EncodeDeadLetterRecord(record)));
      pending_.dead_letters.push_back(std::move(record));
      continue;
    }
    batch.mutations.push_back(OutboxRow(storage::Mutation::Kind::kPutOutboxEvent, entry.seq,
                                        entry.endpoint, EncodeOutboxRecord(entry)));
    pending_.queued.push_back(std::move(entry));
  }
}

size_t EventOutbox::Replay(std::string_view endpoint, std::chrono::system_clock::time_point now,
                           storage::WriteBatch& batch) {
  std::vector<uint64_t> replayed;
  std::lock_guard lock(dead_letters_mu_);
  for (const auto& [id, record] : dead_letters_) {
    if (record.entry.endpoint != endpoint) continue;
    events::OutboxEntry entry = record.entry;
    entry.seq = next_seq_++;
    entry.committed_at = now;
    batch.mutations.push_back(
        OutboxRow(storage::Mutation::Kind::kDeleteDeadLetter, id, record.entry.endpoint, ""));
    batch.mutations.push_back(OutboxRow(storage::Mutation::Kind::kPutOutboxEvent, entry.seq,
                                        entry.endpoint, EncodeOutboxRecord(entry)));
    pending_.queued.push_back(std::move(entry));
    replayed.push_back(id);
  }
  // Gone from the listing at once: a second replay before this one commits finds nothing.
  for (uint64_t id : replayed) dead_letters_.erase(id);
  return replayed.size();
}

void EventOutbox::Committed(PendingEvents events) {
  if (!events.dead_letters.empty()) {
    std::lock_guard lock(dead_letters_mu_);
    for (DeadLetterRecord& record : events.dead_letters) {
      const uint64_t id = record.entry.seq;
      dead_letters_.emplace(id, std::move(record));
    }
  }
  if (!events.queued.empty() && engine_ != nullptr) engine_->Enqueue(std::move(events.queued));
}

bool EventOutbox::HasEndpoint(std::string_view name) const {
  return engine_ != nullptr && engine_->HasEndpoint(name);
}

std::vector<events::EndpointInfo> EventOutbox::Endpoints() const {
  return engine_ != nullptr ? engine_->Endpoints() : std::vector<events::EndpointInfo>{};
}

std::string EventOutbox::MetricsText() const {
  return engine_ != nullptr ? engine_->PrometheusText() : std::string();
}

std::vector<DeadLetterRecord> EventOutbox::DeadLetters(std::string_view endpoint, uint64_t after_id,
                                                       size_t max_items) const {
  std::vector<DeadLetterRecord> page;
  std::lock_guard lock(dead_letters_mu_);
  for (auto it = dead_letters_.upper_bound(after_id);
       it != dead_letters_.end() && page.size() < max_items; ++it) {
    if (it->second.entry.endpoint == endpoint) page.push_back(it->second);
  }
  return page;
}

void EventOutbox::Delivered(const events::OutboxEntry& entry) {
  {
    std::lock_guard lock(acks_mu_);
    delivered_rows_.push_back(entry.seq);
    if (deletes_in_flight_) return;  // the batch in flight's callback takes it along
    deletes_in_flight_ = true;
  }
  CommitDeliveredRows();
}

void EventOutbox::CommitDeliveredRows() {
  storage::WriteBatch batch;
  {
    std::lock_guard lock(acks_mu_);
    if (delivered_rows_.empty()) {
      deletes_in_flight_ = false;
      return;
    }
    batch.mutations.reserve(delivered_rows_.size());
    for (uint64_t seq : delivered_rows_) {
      batch.mutations.push_back(
          OutboxRow(storage::Mutation::Kind::kDeleteOutboxEvent, seq, std::string(), ""));
    }
    delivered_rows_.clear();
  }
  // A failed delete only means those events are delivered again after a restart (at least
  // once). The commit is queued outside acks_mu_: its callback takes the lock.
  store_.Commit(std::move(batch), [this](Status) { CommitDeliveredRows(); });
}

void EventOutbox::DeadLettered(const events::OutboxEntry& entry, std::string_view reason) {
  DeadLetterRecord record{entry, std::string(reason), std::chrono::system_clock::now()};
  storage::WriteBatch batch{
      {OutboxRow(storage::Mutation::Kind::kDeleteOutboxEvent, entry.seq, entry.endpoint, ""),
       OutboxRow(storage::Mutation::Kind::kPutDeadLetter, entry.seq, entry.endpoint,
                 EncodeDeadLetterRecord(record))}};
  store_.Commit(std::move(batch), [this, record = std::move(record)](Status committed) {
    if (!committed.ok()) return;  // still in the outbox: delivered again after a restart
    std::lock_guard lock(dead_letters_mu_);
    dead_letters_.emplace(record.entry.seq, record);
  });
}

}  // namespace dtwin::service
