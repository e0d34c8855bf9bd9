#include "storage/sqlite_schema.h"

#include <charconv>
#include <string>

namespace dtwin::storage {
namespace {

constexpr char kCreateTables[] = R"sql(
CREATE TABLE IF NOT EXISTS models(
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS twins(
  id TEXT PRIMARY KEY,
  value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS relationships(
  source_id TEXT NOT NULL,
  relationship_id TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY(source_id, relationship_id));
CREATE TABLE IF NOT EXISTS routes(
  id TEXT PRIMARY KEY,
  value TEXT NOT NULL);
)sql";

// The tables added or changed by version 2 (see sqlite_schema.h).
constexpr char kCreateVersion2Tables[] = R"sql(
DROP TABLE IF EXISTS outbox;
CREATE TABLE outbox(
  seq INTEGER PRIMARY KEY,
  endpoint TEXT NOT NULL,
  value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dead_letters(
  seq INTEGER PRIMARY KEY,
  endpoint TEXT NOT NULL,
  value TEXT NOT NULL);
)sql";

Status Unavailable(std::string message) {
  return Status(ErrorCode::kServiceUnavailable, std::move(message));
}

Status CheckVersion(SqliteConnection& connection, int& version) {
  Result<std::string> text = connection.QueryText("PRAGMA user_version");
  if (!text.ok()) return text.status();
  std::from_chars(text->data(), text->data() + text->size(), version);
  if (version <= kSchemaVersion) return Status::Ok();
  return Unavailable("database " + connection.path() + " has schema version " +
                     std::to_string(version) + ", written by a newer dtwin; this dtwin reads " +
                     "schema version " + std::to_string(kSchemaVersion) +
                     " and older: upgrade dtwin or use another data directory");
}

// Creates the tables of a new file (version 0) or brings an older file's up to date; the
// tables and their version land together or not at all.
Status UpgradeTables(SqliteConnection& connection, int version) {
  if (Status status = connection.Exec("BEGIN IMMEDIATE"); !status.ok()) return status;
  Status status = version < 1 ? connection.Exec(kCreateTables) : Status::Ok();
  if (status.ok() && version < 2) status = connection.Exec(kCreateVersion2Tables);
  if (status.ok()) {
    status = connection.Exec(("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str());
  }
  if (status.ok()) return connection.Exec("COMMIT");
  (void)connection.Exec("ROLLBACK");  // the original error is the one to report
  return status;
}

}  // namespace

Status PrepareSchema(SqliteConnection& connection) {
  // busy_timeout: someone inspecting the file with the sqlite3 shell may hold its lock for a
  // moment; wait rather than fail (and latch) the store. cache_size: 64 MiB of pages keeps
  // the primary-key indexes of large instances in memory.
  if (Status status = connection.Exec(
          "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -65536");
      !status.ok()) {
    return status;
  }
  int version = 0;
  if (Status status = CheckVersion(connection, version); !status.ok()) return status;
  // journal_mode answers with the mode in force, which stays the old one when WAL is
  // impossible (e.g. on a file system without shared memory).
  Result<std::string> mode = connection.QueryText("PRAGMA journal_mode = WAL");
  if (!mode.ok()) return mode.status();
  if (*mode != "wal") {
    return Unavailable("cannot use WAL journaling for " + connection.path() +
                       " (SQLite kept journal_mode " + *mode + ")");
  }
  return version < kSchemaVersion ? UpgradeTables(connection, version) : Status::Ok();
}

}  // namespace dtwin::storage
