#include "storage/sqlite_connection.h"

#include <sqlite3.h>

#include <utility>

namespace dtwin::storage {

Result<SqliteConnection> SqliteConnection::Open(const std::string& path, bool read_only) {
  int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  // Even a failed open returns a handle (holding the error message); connection closes it.
  SqliteConnection connection(db);
  if (rc != SQLITE_OK) {
    return Status(ErrorCode::kServiceUnavailable,
                  "cannot open SQLite database " + path + ": " + sqlite3_errstr(rc));
  }
  sqlite3_extended_result_codes(db, 1);
  return connection;
}

SqliteConnection::SqliteConnection(SqliteConnection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)) {}

SqliteConnection::~SqliteConnection() { sqlite3_close(db_); }

Status SqliteConnection::Exec(const char* sql) {
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : SqliteError(db_, rc, sql);
}

Result<SqliteStatement> SqliteConnection::Prepare(std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, sql);
  return SqliteStatement(statement);
}

Result<std::string> SqliteConnection::QueryText(std::string_view sql) {
  Result<SqliteStatement> statement = Prepare(sql);
  if (!statement.ok()) return statement.status();
  if (!statement->Next()) {
    if (!statement->status().ok()) return statement->status();
    return Status(ErrorCode::kServiceUnavailable,
                  "SQLite query returned no row: " + std::string(sql));
  }
  return std::string(statement->ColumnText(0));
}

std::string SqliteConnection::path() const {
  const char* file = sqlite3_db_filename(db_, "main");
  return file != nullptr ? file : "";
}

bool SqliteConnection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace dtwin::storage
