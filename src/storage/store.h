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
    kPutModel,           // key = model id; value = model record
    kDeleteModel,        // key = model id
    kPutTwin,            // key = twin id; value = twin document
    kDeleteTwin,         // key = twin id
    kPutRelationship,    // key = source twin id, sub_key = relationship id; value = document
    kDeleteRelationship, // key = source twin id, sub_key = relationship id
    kPutRoute,           // key = route id; value = route record
    kDeleteRoute,        // key = route id
  };
  Kind kind;
  std::string key;
  std::string sub_key;
  std::string value;
};

// Everything one API operation changes, committed in one transaction. events are
// notifications to publish once committed (the outbox; used by the events subsystem).
struct WriteBatch {
  std::vector<Mutation> mutations;
  std::vector<std::string> events;
};

// Called once per committed (or failed) batch, on the committer thread. Must not block.
using CommitCallback = std::function<void(Status)>;

// Receives the stored state at start-up, in this order: every model (in the order first
// written), every twin, every relationship, every route.
struct LoadVisitor {
  std::function<Status(const std::string& id, const std::string& value)> model;
  std::function<Status(const std::string& id, const std::string& value)> twin;
  std::function<Status(const std::string& source_id, const std::string& relationship_id,
                       const std::string& value)>
      relationship;
  std::function<Status(const std::string& id, const std::string& value)> route;
};

class Store {
 public:
  virtual ~Store() = default;

  // Streams the stored state to visitor (stops at the first error the visitor returns).
  virtual Status Load(const LoadVisitor& visitor) = 0;

  // Queues batch; done runs after it is durable (fsync'd) or has failed. Once a commit has
  // failed the store is failed: every later batch fails at once with kServiceUnavailable
  // naming the original error, so nothing is silently lost.
  virtual void Commit(WriteBatch batch, CommitCallback done) = 0;

  // Blocks until every batch queued so far is committed (or failed). Used at shutdown.
  virtual void Flush() = 0;

  // OK, or the error that put the store into the failed state.
  virtual Status health() const = 0;
};

struct SqliteStoreOptions {
  std::string data_dir;            // created if missing; holds dtwin.db and a lock file
  size_t max_batches_per_commit = 4096;
};

// Opens (creating if needed) the SQLite store in options.data_dir: WAL journal,
// synchronous=FULL, one committer thread doing group commit. Fails with a clear message
// when another process holds the data directory.
Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteStoreOptions& options);

}  // namespace dtwin::storage
