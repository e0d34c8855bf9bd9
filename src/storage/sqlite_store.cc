// The embedded SQLite store (<data_dir>/dtwin.db, layout in sqlite_schema.h): one
// connection owned by the committer thread applies groups of batches; Load reads through
// its own connection. Thread-safe as Store requires.
#include <filesystem>
#include <optional>
#include <utility>

#include "storage/data_dir_lock.h"
#include "storage/group_committer.h"
#include "storage/sqlite_connection.h"
#include "storage/sqlite_schema.h"
#include "storage/store.h"

namespace dtwin::storage {
namespace {

constexpr char kDatabaseFileName[] = "dtwin.db";

// Upserts keep a row's rowid (models: its seq, hence its place in the load order).
constexpr char kPutModel[] =
    "INSERT INTO models(id, value) VALUES(?1, ?2) "
    "ON CONFLICT(id) DO UPDATE SET value = excluded.value";
constexpr char kDeleteModel[] = "DELETE FROM models WHERE id = ?1";
constexpr char kPutTwin[] =
    "INSERT INTO twins(id, value) VALUES(?1, ?2) "
    "ON CONFLICT(id) DO UPDATE SET value = excluded.value";
constexpr char kDeleteTwin[] = "DELETE FROM twins WHERE id = ?1";
constexpr char kPutRelationship[] =
    "INSERT INTO relationships(source_id, relationship_id, value) VALUES(?1, ?2, ?3) "
    "ON CONFLICT(source_id, relationship_id) DO UPDATE SET value = excluded.value";
constexpr char kDeleteRelationship[] =
    "DELETE FROM relationships WHERE source_id = ?1 AND relationship_id = ?2";
constexpr char kPutRoute[] =
    "INSERT INTO routes(id, value) VALUES(?1, ?2) "
    "ON CONFLICT(id) DO UPDATE SET value = excluded.value";
constexpr char kDeleteRoute[] = "DELETE FROM routes WHERE id = ?1";
// Outbox and dead-letter rows are written once and deleted once (an outbox row's endpoints
// may shrink in between); a replayed dead letter comes back under a new sequence number.
constexpr char kPutOutboxEvent[] = "INSERT INTO outbox(seq, endpoint, value) VALUES(?1, ?2, ?3)";
constexpr char kSetOutboxEndpoints[] = "UPDATE outbox SET endpoint = ?2 WHERE seq = ?1";
constexpr char kDeleteOutboxEvent[] = "DELETE FROM outbox WHERE seq = ?1";
constexpr char kPutDeadLetter[] =
    "INSERT INTO dead_letters(seq, endpoint, value) VALUES(?1, ?2, ?3)";
constexpr char kDeleteDeadLetter[] = "DELETE FROM dead_letters WHERE seq = ?1";

// The prepared statements of the committer's connection, one per kind of write.
struct WriteStatements {
  SqliteStatement begin, commit, put_model, delete_model, put_twin, delete_twin, put_relationship,
      delete_relationship, put_route, delete_route, put_outbox_event, set_outbox_endpoints,
      delete_outbox_event, put_dead_letter, delete_dead_letter;
};

Result<WriteStatements> PrepareWriteStatements(SqliteConnection& connection) {
  std::optional<Status> error;
  auto prepare = [&](const char* sql) {
    Result<SqliteStatement> statement = connection.Prepare(sql);
    if (statement.ok()) return std::move(statement).value();
    if (!error) error = statement.status();
    return SqliteStatement(nullptr);  // finalizing nullptr is a no-op
  };
  WriteStatements statements{prepare("BEGIN IMMEDIATE"),  prepare("COMMIT"),
                             prepare(kPutModel),          prepare(kDeleteModel),
                             prepare(kPutTwin),           prepare(kDeleteTwin),
                             prepare(kPutRelationship),   prepare(kDeleteRelationship),
                             prepare(kPutRoute),          prepare(kDeleteRoute),
                             prepare(kPutOutboxEvent),    prepare(kSetOutboxEndpoints),
                             prepare(kDeleteOutboxEvent), prepare(kPutDeadLetter),
                             prepare(kDeleteDeadLetter)};
  if (error) return *error;
  return statements;
}

// Runs the query sql and calls read(row) for each row, stopping at its first error.
template <typename ReadRow>
Status ForEachRow(SqliteConnection& connection, const char* sql, ReadRow&& read) {
  Result<SqliteStatement> statement = connection.Prepare(sql);
  if (!statement.ok()) return statement.status();
  while (statement->Next()) {
    if (Status status = read(*statement); !status.ok()) return status;
  }
  return statement->status();
}

class SqliteStore final : public Store {
 public:
  SqliteStore(const SqliteStoreOptions& options, std::string database_path, DataDirLock lock,
              SqliteConnection connection, WriteStatements statements)
      : data_dir_(options.data_dir),
        database_path_(std::move(database_path)),
        lock_(std::move(lock)),
        connection_(std::move(connection)),
        statements_(std::move(statements)),
        committer_([this](const std::vector<WriteBatch>& group) { return ApplyGroup(group); },
                   options.max_batches_per_commit) {}

  Status Load(const LoadVisitor& visitor) override;
  void Commit(WriteBatch batch, CommitCallback done) override {
    committer_.Commit(std::move(batch), std::move(done));
  }
  void Flush() override { committer_.Flush(); }
  Status health() const override { return committer_.health(); }

 private:
  // On the committer thread: one transaction for the whole group.
  Status ApplyGroup(const std::vector<WriteBatch>& group);
  Status Apply(const Mutation& mutation);

  const std::string data_dir_;
  const std::string database_path_;
  const DataDirLock lock_;  // held for the store's lifetime
  // Used only on the committer thread (after construction).
  SqliteConnection connection_;
  WriteStatements statements_;
  // Last: destroyed first, so its thread is joined before the connection closes.
  GroupCommitter committer_;
};

Status SqliteStore::ApplyGroup(const std::vector<WriteBatch>& group) {
  Status status = statements_.begin.Run({});
  for (auto batch = group.begin(); status.ok() && batch != group.end(); ++batch) {
    for (const Mutation& mutation : batch->mutations) {
      status = Apply(mutation);
      if (!status.ok()) break;
    }
  }
  // With synchronous=FULL in WAL mode, COMMIT returns once the WAL is fsync'd.
  if (status.ok()) status = statements_.commit.Run({});
  if (status.ok()) return status;
  // A failed COMMIT may leave the transaction open (or SQLite may have rolled it back).
  if (connection_.InTransaction()) (void)connection_.Exec("ROLLBACK");
  return Status(ErrorCode::kServiceUnavailable,
                "the store in data directory " + data_dir_ +
                    " failed and accepts no more writes until dtwin restarts: " + status.message());
}

Status SqliteStore::Apply(const Mutation& mutation) {
  using Kind = Mutation::Kind;
  WriteStatements& s = statements_;
  switch (mutation.kind) {
    case Kind::kPutModel:
      return s.put_model.Run({mutation.key, mutation.value});
    case Kind::kDeleteModel:
      return s.delete_model.Run({mutation.key});
    case Kind::kPutTwin:
      return s.put_twin.Run({mutation.key, mutation.value});
    case Kind::kDeleteTwin:
      return s.delete_twin.Run({mutation.key});
    case Kind::kPutRelationship:
      return s.put_relationship.Run({mutation.key, mutation.sub_key, mutation.value});
    case Kind::kDeleteRelationship:
      return s.delete_relationship.Run({mutation.key, mutation.sub_key});
    case Kind::kPutRoute:
      return s.put_route.Run({mutation.key, mutation.value});
    case Kind::kDeleteRoute:
      return s.delete_route.Run({mutation.key});
    case Kind::kPutOutboxEvent:
      return s.put_outbox_event.Run({mutation.key, mutation.sub_key, mutation.value});
    case Kind::kSetOutboxEndpoints:
      return s.set_outbox_endpoints.Run({mutation.key, mutation.sub_key});
    case Kind::kDeleteOutboxEvent:
      return s.delete_outbox_event.Run({mutation.key});
    case Kind::kPutDeadLetter:
      return s.put_dead_letter.Run({mutation.key, mutation.sub_key, mutation.value});
    case Kind::kDeleteDeadLetter:
      return s.delete_dead_letter.Run({mutation.key});
  }
  return Status(ErrorCode::kInternal,
                "unknown mutation kind " + std::to_string(static_cast<int>(mutation.kind)));
}

Status SqliteStore::Load(const LoadVisitor& visitor) {
  // A connection of its own, so Load never shares the committer's; one read transaction,
  // so the tables come from the same snapshot even while commits go on.
  Result<SqliteConnection> connection = SqliteConnection::Open(database_path_, true);
  if (!connection.ok()) return connection.status();
  if (Status status = connection->Exec("BEGIN"); !status.ok()) return status;
  // Reused for every row: the visitor gets references, so no per-row allocation is needed
  // once they have grown to the largest value.
  std::string key, sub_key, value;
  auto two_columns = [&](const auto& visit) {
    return [&](const SqliteStatement& row) {
      key.assign(row.ColumnText(0));
      value.assign(row.ColumnText(1));
      return visit(key, value);
    };
  };
  Status status = ForEachRow(*connection, "SELECT id, value FROM models ORDER BY seq",
                             two_columns(visitor.model));
  if (status.ok()) {
    status = ForEachRow(*connection, "SELECT id, value FROM twins", two_columns(visitor.twin));
  }
  if (status.ok()) {
    status = ForEachRow(*connection, "SELECT source_id, relationship_id, value FROM relationships",
                        [&](const SqliteStatement& row) {
                          key.assign(row.ColumnText(0));
                          sub_key.assign(row.ColumnText(1));
                          value.assign(row.ColumnText(2));
                          return visitor.relationship(key, sub_key, value);
                        });
  }
  if (status.ok()) {
    status = ForEachRow(*connection, "SELECT id, value FROM routes", two_columns(visitor.route));
  }
  auto queued_events = [&](const auto& visit) {
    return [&](const SqliteStatement& row) {
      const int64_t seq = row.ColumnInt64(0);
      key.assign(row.ColumnText(1));
      value.assign(row.ColumnText(2));
      return visit(static_cast<uint64_t>(seq), key, value);
    };
  };
  if (status.ok()) {
    status = ForEachRow(*connection, "SELECT seq, endpoint, value FROM outbox ORDER BY seq",
                        queued_events(visitor.outbox_event));
  }
  if (status.ok()) {
    status = ForEachRow(*connection, "SELECT seq, endpoint, value FROM dead_letters ORDER BY seq",
                        queued_events(visitor.dead_letter));
  }
  (void)connection->Exec("COMMIT");  // ends the read transaction; nothing to make durable
  return status;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteStoreOptions& options) {
  Result<DataDirLock> lock = DataDirLock::Acquire(options.data_dir);
  if (!lock.ok()) return lock.status();
  std::string path = (std::filesystem::path(options.data_dir) / kDatabaseFileName).string();
  Result<SqliteConnection> connection = SqliteConnection::Open(path, false);
  if (!connection.ok()) return connection.status();
  if (Status status = PrepareSchema(*connection); !status.ok()) return status;
  Result<WriteStatements> statements = PrepareWriteStatements(*connection);
  if (!statements.ok()) return statements.status();
  return std::unique_ptr<Store>(
      std::make_unique<SqliteStore>(options, std::move(path), std::move(lock).value(),
                                    std::move(connection).value(), std::move(statements).value()));
}

}  // namespace dtwin::storage
