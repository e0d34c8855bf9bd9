// One SQLite connection (an owned handle). Not thread-safe: one thread uses a connection
// (and the statements prepared on it) at a time.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "storage/sqlite_statement.h"

struct sqlite3;

namespace dtwin::storage {

class SqliteConnection {
 public:
  // Opens (read_only = false: creating if missing) the database file at path.
  static Result<SqliteConnection> Open(const std::string& path, bool read_only);

  SqliteConnection(SqliteConnection&& other) noexcept;
  SqliteConnection& operator=(SqliteConnection&&) = delete;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  ~SqliteConnection();  // every statement prepared here must be destroyed first

  // Runs sql (one or more statements; rows are discarded).
  Status Exec(const char* sql);

  // The statement must not outlive this connection.
  Result<SqliteStatement> Prepare(std::string_view sql);

  // The first column of the first row of a query such as "PRAGMA user_version".
  Result<std::string> QueryText(std::string_view sql);

  // The database file's path.
  std::string path() const;

  // True while a transaction is open (e.g. not yet rolled back after a failed COMMIT).
  bool InTransaction() const;

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  sqlite3* db_;  // owned; nullptr once moved from
};

}  // namespace dtwin::storage
