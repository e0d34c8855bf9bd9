// The durable store behind the service: applies write batches atomically and durably (group
// commit), and replays everything at start-up. Implementations are thread-safe: Commit may
// be called from any thread; completions run on the store's committer thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace dtwin::storage {

// One change to the durable state. Values are JSON texts chosen by the service (the store
// never parses them).
struct Mutation {
  enum class Kind : uint8_t {
    kPutModel,            // key = model id; value = model record
    kDeleteModel,         // key = model id
    kPutTwin,             // key = twin id; value = twin document
    kDeleteTwin,          // key = twin id
    kPutRelationship,     // key = source twin id, sub_key = relationship id; value = document
    kDeleteRelationship,  // key = source twin id, sub_key = relationship id
    kPutRoute,            // key = route id; value = route record
    kDeleteRoute,         // key = route id
    // The outbox: notifications committed with the change that caused them, one row per
    // event, waiting for delivery to its endpoints. key = the event's sequence number (decimal,
    // unique and increasing), sub_key = the names of the endpoints it waits for, separated by
    // commas (names have none); value = the outbox record.
    kPutOutboxEvent,
    // key = sequence number, sub_key = the endpoints still waited for (the others are done
    // with it; no row: nothing happens).
    kSetOutboxEndpoints,
    kDeleteOutboxEvent,  // key = sequence number: every endpoint is done with it
    kPutDeadLetter,      // key = its own id, sub_key = one endpoint; value = the record
    kDeleteDeadLetter,   // key = the dead letter's id: replayed
  };
  Kind kind;
  std::string key;
  std::string sub_key;
  std::string value;
};

// Everything one API operation changes, its notifications included (outbox mutations),
// committed in one transaction.
struct WriteBatch {
  std::vector<Mutation> mutations;
};

// Called once per committed (or failed) batch, on the committer thread (also when the store
// has already failed). Must not block, throw, or call Flush.
using CommitCallback = std::function<void(Status)>;

// Receives the stored state at start-up, in this order: every model (in the order first
// written; deleting and re-adding a model moves it to the end), every twin, every
// relationship, every route, the outbox and the dead letters (each by sequence number).
// All functions must be set. The references are valid only during the call.
struct LoadVisitor {
  std::function<Status(const std::string& id, const std::string& value)> model;
  std::function<Status(const std::string& id, const std::string& value)> twin;
  std::function<Status(const std::string& source_id, const std::string& relationship_id,
                       const std::string& value)>
      relationship;
  std::function<Status(const std::string& id, const std::string& value)> route;
  // Outbox and dead-letter rows: sequence number, endpoint name, record.
  std::function<Status(uint64_t seq, const std::string& endpoint, const std::string& value)>
      outbox_event;
  std::function<Status(uint64_t seq, const std::string& endpoint, const std::string& value)>
      dead_letter;
};

class Store {
 public:
  virtual ~Store() = default;

  // Streams the stored state to visitor, row by row from one consistent snapshot (stops at
  // the first error the visitor returns, and returns it). May run alongside commits.
  virtual Status Load(const LoadVisitor& visitor) = 0;

  // Queues batch; done runs after it is durable (fsync'd) or has failed. Batches apply in
  // the order queued, several per transaction; a failure fails every batch of that
  // transaction, none of which leaves a trace. Once a commit has failed the store is
  // failed: every later batch fails at once with kServiceUnavailable naming the original
  // error, so nothing is silently lost.
  virtual void Commit(WriteBatch batch, CommitCallback done) = 0;

  // Blocks until every batch queued so far is committed (or failed) and its callback has
  // returned. Used at shutdown; destroying the store flushes too.
  virtual void Flush() = 0;

  // OK, or the error that put the store into the failed state.
  virtual Status health() const = 0;
};

struct SqliteStoreOptions {
  std::string data_dir;                  // created if missing; holds dtwin.db and a lock file
  size_t max_batches_per_commit = 4096;  // per transaction (group); 0 counts as 1
};

// Opens (creating if needed) the SQLite store in options.data_dir: WAL journal,
// synchronous=FULL, one committer thread doing group commit. Fails (kServiceUnavailable)
// with a clear message when the directory cannot be created, when another store (in any
// process) holds it, or when its database was written by a newer dtwin.
Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteStoreOptions& options);

}  // namespace dtwin::storage
