// EventOutbox: routing at write time, the outbox rows, and the journal the engine reports to.
#include "service/event_outbox.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <span>

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

// An outbox row's endpoint column: the names, separated by commas (names have none).
std::string JoinEndpoints(std::span<const std::string_view> names) {
  std::string joined;
  for (std::string_view name : names) {
    if (!joined.empty()) joined += ',';
    joined += name;
  }
  return joined;
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

Status EventOutbox::LoadOutboxRow(uint64_t seq, const std::string& endpoints,
                                  const std::string& value) {
  Result<events::OutboxEntry> entry = DecodeOutboxRecord(seq, "", value);
  if (!entry.ok()) return entry.status();
  if (endpoints.empty()) {
    return Status(ErrorCode::kInternal,
                  "the store is corrupt: outbox event " + std::to_string(seq) + " has no endpoint");
  }
  next_seq_ = std::max(next_seq_.load(), seq + 1);
  for (size_t start = 0; start <= endpoints.size();) {
    size_t end = std::min(endpoints.find(',', start), endpoints.size());
    loaded_.push_back(*entry);
    loaded_.back().endpoint = endpoints.substr(start, end - start);
    start = end + 1;
  }
  return Status::Ok();
}

Status EventOutbox::LoadDeadLetter(uint64_t seq, const std::string& endpoint,
                                   const std::string& value) {
  Result<DeadLetterRecord> record = DecodeDeadLetterRecord(seq, endpoint, value);
  if (!record.ok()) return record.status();
  next_seq_ = std::max(next_seq_.load(), seq + 1);
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
  TrackRows(loaded_);
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
  std::vector<std::string_view> queued;  // the endpoints of the event's outbox row
  for (std::string_view endpoint : endpoints) {
    if (!engine_->Full(endpoint)) {
      queued.push_back(endpoint);
      continue;
    }
    engine_->CountDeadLetteredWhenFull(endpoint);
    DeadLetterRecord record{
        {next_seq_++, std::string(endpoint), partition_key, now, event}, kOutboxFullReason, now};
    batch.mutations.push_back(OutboxRow(storage::Mutation::Kind::kPutDeadLetter, record.entry.seq,
                                        record.entry.endpoint, EncodeDeadLetterRecord(record)));
    pending_.dead_letters.push_back(std::move(record));
  }
  if (queued.empty()) return;
  events::OutboxEntry entry{next_seq_++, "", std::move(partition_key), now, std::move(event)};
  batch.mutations.push_back(OutboxRow(storage::Mutation::Kind::kPutOutboxEvent, entry.seq,
                                      JoinEndpoints(queued), EncodeOutboxRecord(entry)));
  for (size_t i = 0; i < queued.size(); ++i) {
    pending_.queued.push_back(i + 1 < queued.size() ? entry : std::move(entry));
    pending_.queued.back().endpoint = queued[i];
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
  if (!events.queued.empty() && engine_ != nullptr) {
    TrackRows(events.queued);
    engine_->Enqueue(std::move(events.queued));
  }
}

void EventOutbox::TrackRows(const std::vector<events::OutboxEntry>& entries) {
  std::lock_guard lock(acks_mu_);
  for (const events::OutboxEntry& entry : entries) {
    waiting_endpoints_[entry.seq].push_back(entry.endpoint);
  }
}

bool EventOutbox::FinishRow(const events::OutboxEntry& entry, std::string* still_waiting) {
  auto row = waiting_endpoints_.find(entry.seq);
  if (row == waiting_endpoints_.end()) return true;  // not tracked: nothing else waits
  std::vector<std::string>& endpoints = row->second;
  std::erase(endpoints, entry.endpoint);
  if (endpoints.empty()) {
    waiting_endpoints_.erase(row);
    return true;
  }
  if (still_waiting != nullptr) {
    *still_waiting =
        JoinEndpoints(std::vector<std::string_view>(endpoints.begin(), endpoints.end()));
  }
  return false;
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
    if (!FinishRow(entry)) return;  // other endpoints still wait for the row
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
  std::lock_guard order(dead_letter_commits_mu_);
  DeadLetterRecord record{entry, std::string(reason), std::chrono::system_clock::now()};
  record.entry.seq = next_seq_++;  // the dead letter's own id: the row may serve other endpoints
  storage::WriteBatch batch{{OutboxRow(storage::Mutation::Kind::kPutDeadLetter, record.entry.seq,
                                       entry.endpoint, EncodeDeadLetterRecord(record))}};
  std::string still_waiting;
  bool row_done = false;
  {
    std::lock_guard lock(acks_mu_);
    row_done = FinishRow(entry, &still_waiting);
  }
  batch.mutations.push_back(
      row_done ? OutboxRow(storage::Mutation::Kind::kDeleteOutboxEvent, entry.seq, "", "")
               : OutboxRow(storage::Mutation::Kind::kSetOutboxEndpoints, entry.seq,
                           std::move(still_waiting), ""));
  // If this batch fails, the row (still listing this endpoint) offers the event again after a
  // restart (at least once); the callback takes only dead_letters_mu_, so queuing it under
  // dead_letter_commits_mu_ cannot deadlock even when a failed store calls back at once.
  store_.Commit(std::move(batch), [this, record = std::move(record)](Status committed) {
    if (!committed.ok()) return;  // still in the outbox: delivered again after a restart
    std::lock_guard lock(dead_letters_mu_);
    dead_letters_.emplace(record.entry.seq, record);
  });
}

}  // namespace dtwin::service
