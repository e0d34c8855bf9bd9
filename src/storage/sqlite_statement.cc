#include "storage/sqlite_statement.h"

#include <sqlite3.h>

#include <utility>

namespace dtwin::storage {

Status SqliteError(sqlite3* db, int rc, std::string_view doing) {
  const char* file = sqlite3_db_filename(db, "main");
  return Status(ErrorCode::kServiceUnavailable,
                "SQLite error on " + std::string(file != nullptr ? file : "?") + " (" +
                    std::string(doing) + "): " + sqlite3_errmsg(db) + " [" + sqlite3_errstr(rc) +
                    ", code " + std::to_string(rc) + "]");
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)), status_(std::move(other.status_)) {}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(statement_); }

Status SqliteStatement::Run(std::initializer_list<std::string_view> params) {
  int index = 1;
  for (std::string_view param : params) {
    // SQLITE_STATIC: the text outlives the step below, and reset drops no reference to it
    // that could be used later (every run binds every parameter anew).
    int rc = sqlite3_bind_text64(statement_, index++, param.data(), param.size(), SQLITE_STATIC,
                                 SQLITE_UTF8);
    if (rc != SQLITE_OK) return Error(rc);
  }
  int rc = sqlite3_step(statement_);
  Status status = rc == SQLITE_DONE || rc == SQLITE_ROW ? Status::Ok() : Error(rc);
  sqlite3_reset(statement_);
  return status;
}

bool SqliteStatement::Next() {
  int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  status_ = rc == SQLITE_DONE ? Status::Ok() : Error(rc);
  sqlite3_reset(statement_);
  return false;
}

std::string_view SqliteStatement::ColumnText(int column) const {
  // Ask for the text before its size: the size is the converted text's.
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  return text == nullptr ? std::string_view()
                         : std::string_view(text, sqlite3_column_bytes(statement_, column));
}

int64_t SqliteStatement::ColumnInt64(int column) const {
  return sqlite3_column_int64(statement_, column);
}

Status SqliteStatement::Error(int rc) const {
  return SqliteError(sqlite3_db_handle(statement_), rc, sqlite3_sql(statement_));
}

}  // namespace dtwin::storage
