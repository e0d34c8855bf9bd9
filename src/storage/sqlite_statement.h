// A prepared SQLite statement, reused across executions (bind, step, reset). Not
// thread-safe: used by one thread at a time, like the connection it belongs to.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace dtwin::storage {

// kServiceUnavailable naming db's file, what was being done, and SQLite's error for rc.
Status SqliteError(sqlite3* db, int rc, std::string_view doing);

class SqliteStatement {
 public:
  explicit SqliteStatement(sqlite3_stmt* statement) : statement_(statement) {}
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement();

  // Runs a statement that returns no rows with parameters ?1, ?2, ... bound to params (as
  // text, not copied: they need only outlive the call).
  Status Run(std::initializer_list<std::string_view> params);

  // Row-by-row reading: Next() is true while a row is available; then check status() to
  // tell the end from an error. Column views stay valid until the next call to Next().
  bool Next();
  Status status() const { return status_; }
  std::string_view ColumnText(int column) const;
  int64_t ColumnInt64(int column) const;

 private:
  // The error for result code rc, naming this statement.
  Status Error(int rc) const;

  sqlite3_stmt* statement_;  // owned; nullptr once moved from
  Status status_;            // the error that ended the last Next() loop
};

}  // namespace dtwin::storage
