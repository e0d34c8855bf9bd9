// EventOutbox: routing at write time, the outbox rows, and the journal the engine reports to.
#include "service/event_outbox.h"

#include <algorithm>
#include <boost/json/parse.hpp>

#include "common/clock.h"
#include "common/uuid.h"
#include "events/cloud_event_filter_input.h"
#include "service/request_trace.h"

namespace dtwin::service {

namespace json = boost::json;

namespace {

// A row some endpoints are done with while others still wait (one of them down, say) is
// rewritten to list only those after this long, so that a restart offers it again only to
// them. Sooner would write every row twice while all endpoints keep up.
constexpr std::chrono::seconds kRewritePartlyDoneRowsAfter{1};

constexpr char kOutboxFullReason[] =
    "outbox full: the endpoint's delivery queue was at its limit when the change was committed";

storage::Mutation OutboxRow(storage::Mutation::Kind kind, uint64_t seq, std::string endpoint,
                            std::string value) {
  return {kind, std::to_string(seq), std::move(endpoint), std::move(value)};
}

// An outbox row's endpoint column: the names, separated by commas (names have none).
template <typename Names>
std::string JoinEndpoints(const Names& names) {
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
  // On a stop, every row some endpoints are done with lists only the others, however young:
  // the next start offers it to those alone.
  bool start_writes = false;
  {
    std::lock_guard lock(acks_mu_);
    for (auto& [seq, since] : row_writes_.partly_done) since = {};
    start_writes = !row_writes_.partly_done.empty() && StartsRowWrites();
  }
  if (start_writes) CommitRowWrites();
  // Each flush runs the callbacks of the batches queued so far; a row-write batch's callback
  // may queue the next one, so flush until none is in flight.
  while (true) {
    store_.Flush();
    std::lock_guard lock(acks_mu_);
    if (!row_writes_.in_flight) break;
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
    const uint64_t id = next_seq_++;
    DeadLetterRecord record{
        {id, std::string(endpoint), partition_key, now, event}, kOutboxFullReason, now, id};
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
  std::lock_guard lock(dead_letters_mu_);
  // In commit order, so each twin's events go again in the order of its changes (dead letters
  // are numbered as they are given up, which across lanes and write-time refusals is not it).
  std::vector<const DeadLetterRecord*> letters;
  for (const auto& [id, record] : dead_letters_) {
    if (record.entry.endpoint == endpoint) letters.push_back(&record);
  }
  std::stable_sort(letters.begin(), letters.end(),
                   [](const DeadLetterRecord* a, const DeadLetterRecord* b) {
                     return a->event_seq < b->event_seq;
                   });
  std::vector<uint64_t> replayed;
  for (const DeadLetterRecord* record : letters) {
    const uint64_t id = record->entry.seq;
    events::OutboxEntry entry = record->entry;
    entry.seq = next_seq_++;
    entry.committed_at = now;
    batch.mutations.push_back(
        OutboxRow(storage::Mutation::Kind::kDeleteDeadLetter, id, record->entry.endpoint, ""));
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

bool EventOutbox::FinishRow(const events::OutboxEntry& entry) {
  auto row = waiting_endpoints_.find(entry.seq);
  if (row == waiting_endpoints_.end()) return true;  // not tracked: nothing else waits
  std::erase(row->second, entry.endpoint);
  if (!row->second.empty()) return false;
  waiting_endpoints_.erase(row);
  return true;
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
    const auto now = std::chrono::steady_clock::now();
    if (FinishRow(entry)) {
      row_writes_.deletes.push_back(entry.seq);
    } else {
      row_writes_.partly_done.emplace_back(entry.seq, now);
      if (row_writes_.partly_done.front().second > now - kRewritePartlyDoneRowsAfter) return;
    }
    if (!StartsRowWrites()) return;  // the batch in flight's callback takes it along
  }
  CommitRowWrites();
}

void EventOutbox::DeadLettered(const events::OutboxEntry& entry, std::string_view reason) {
  DeadLetterRecord record{entry, std::string(reason), std::chrono::system_clock::now(), entry.seq};
  record.entry.seq = next_seq_++;  // the dead letter's own id: the row may serve other endpoints
  storage::Mutation put = OutboxRow(storage::Mutation::Kind::kPutDeadLetter, record.entry.seq,
                                    entry.endpoint, EncodeDeadLetterRecord(record));
  {
    std::lock_guard lock(acks_mu_);
    if (FinishRow(entry)) {
      row_writes_.deletes.push_back(entry.seq);
    } else {
      row_writes_.rewrites.push_back(entry.seq);  // so a restart does not offer it here again
    }
    row_writes_.dead_letters.emplace_back(std::move(record), std::move(put));
    if (!StartsRowWrites()) return;
  }
  CommitRowWrites();
}

bool EventOutbox::StartsRowWrites() {
  if (row_writes_.in_flight) return false;
  row_writes_.in_flight = true;
  return true;
}

void EventOutbox::CommitRowWrites() {
  storage::WriteBatch batch;
  std::vector<DeadLetterRecord> dead_letters;
  {
    std::lock_guard lock(acks_mu_);
    // A row's endpoint list is taken now, under the lock, and batches commit one at a time in
    // order, so the store always ends with the latest list (a row already finished has its
    // delete in this batch or an earlier one, and no list).
    auto rewrite = [&](uint64_t seq) {
      auto row = waiting_endpoints_.find(seq);
      if (row == waiting_endpoints_.end()) return;
      batch.mutations.push_back(OutboxRow(storage::Mutation::Kind::kSetOutboxEndpoints, seq,
                                          JoinEndpoints(row->second), ""));
    };
    for (uint64_t seq : row_writes_.rewrites) rewrite(seq);
    const auto stale = std::chrono::steady_clock::now() - kRewritePartlyDoneRowsAfter;
    auto& partly_done = row_writes_.partly_done;
    while (!partly_done.empty() && partly_done.front().second <= stale) {
      rewrite(partly_done.front().first);
      partly_done.pop_front();
    }
    for (uint64_t seq : row_writes_.deletes) {
      batch.mutations.push_back(
          OutboxRow(storage::Mutation::Kind::kDeleteOutboxEvent, seq, std::string(), ""));
    }
    for (auto& [record, put] : row_writes_.dead_letters) {
      batch.mutations.push_back(std::move(put));
      dead_letters.push_back(std::move(record));
    }
    row_writes_.rewrites.clear();
    row_writes_.deletes.clear();
    row_writes_.dead_letters.clear();
    if (batch.mutations.empty()) {
      row_writes_.in_flight = false;
      return;
    }
  }
  // A failed batch only means its events are offered again after a restart (at least once):
  // the rows still list their endpoints. The commit is queued outside acks_mu_: its callback
  // takes the lock.
  store_.Commit(std::move(batch), [this, dead_letters = std::move(dead_letters)](Status committed) {
    if (committed.ok() && !dead_letters.empty()) {
      std::lock_guard lock(dead_letters_mu_);
      for (const DeadLetterRecord& record : dead_letters) {
        dead_letters_.emplace(record.entry.seq, record);
      }
    }
    CommitRowWrites();
  });
}

}  // namespace dtwin::service
