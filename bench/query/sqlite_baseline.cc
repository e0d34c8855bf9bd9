// The SQLite baseline of the query benchmark (see sqlite_baseline.h).
#include "bench/query/sqlite_baseline.h"

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "bench/query/rec_graph.h"

namespace dtwin::bench {

// Documents are JSON text (JSON1 reads them with json_extract). The model and the
// relationship endpoints are columns because every twin store filters and joins on them; the
// ancestry table makes IS_OF_MODEL one indexed lookup per model.
constexpr char kSchemaSql[] = R"sql(
CREATE TABLE twins(id TEXT PRIMARY KEY, model TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE relationships(source TEXT NOT NULL, id TEXT NOT NULL, target TEXT NOT NULL,
                           name TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY(source, id));
CREATE TABLE model_ancestry(ancestor TEXT NOT NULL, model TEXT NOT NULL,
                            PRIMARY KEY(ancestor, model)) WITHOUT ROWID;
)sql";

// Built after loading (faster than keeping them current row by row), then ANALYZE so the
// planner knows their selectivity.
constexpr char kIndexesSql[] = R"sql(
CREATE INDEX twins_by_model ON twins(model);
CREATE INDEX relationships_by_source_name ON relationships(source, name);
CREATE INDEX relationships_by_target ON relationships(target);
ANALYZE;
)sql";

constexpr char kInsertModelAncestorSql[] = "INSERT INTO model_ancestry VALUES (?1, ?2)";
constexpr char kInsertTwinSql[] = "INSERT INTO twins VALUES (?1, ?2, ?3)";
constexpr char kInsertRelationshipSql[] = "INSERT INTO relationships VALUES (?1, ?2, ?3, ?4, ?5)";

const char kPointSql[] = "SELECT doc FROM twins WHERE id = ?1";

// The row is built by concatenation, not json_object('T', json(t.doc), ...): the documents
// are valid JSON already, and re-parsing them would only slow the baseline down.
const char kJoinSql[] =
    "SELECT '{\"T\":' || t.doc || ',\"S\":' || s.doc || '}' FROM twins t"
    " JOIN relationships r ON r.source = t.id AND r.name = 'hasCapability'"
    " JOIN twins s ON s.id = r.target WHERE t.id = ?1";

static_assert(RecGraph::kHotTemperature == 26, "kHotSpacesSql and kTemperatureIndexSql say 26");
// A join rather than `model IN (SELECT ...)`: SQLite plans the IN form as a scan of every
// twin, and the join as lookups in twins_by_model (twice as fast for the 1000-row page).
const char kHotSpacesSql[] =
    "SELECT t.doc FROM model_ancestry a JOIN twins t ON t.model = a.model"
    " WHERE a.ancestor = ?1 AND json_extract(t.doc, '$.temperature') > 26 LIMIT ?2";

const char kHotSpacesByTemperatureSql[] =
    "SELECT doc FROM twins WHERE model IN (SELECT model FROM model_ancestry WHERE ancestor = ?1)"
    " AND json_extract(doc, '$.temperature') > 26 LIMIT ?2";

const char kTemperatureIndexSql[] =
    "CREATE INDEX twins_by_temperature ON twins(json_extract(doc, '$.temperature'))";
const char kDropTemperatureIndexSql[] = "DROP INDEX twins_by_temperature";

SqliteBaseline::SqliteBaseline(const std::string& path, bool create) {
  if (create) std::filesystem::remove(path);
  // NOMUTEX: one thread uses the connection, so SQLite's own locking would only cost time.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  Check(sqlite3_open_v2(path.c_str(), &db_, flags, nullptr), "opening " + path);
  // Room for the whole file in the page cache (4 GB), as dtwin keeps its graph in memory.
  Exec("PRAGMA cache_size = -4000000");
  if (create) Exec(kSchemaSql);
}

SqliteBaseline::~SqliteBaseline() {
  for (auto& [sql, statement] : prepared_) sqlite3_finalize(statement);
  sqlite3_close(db_);
}

void SqliteBaseline::Check(int rc, std::string_view doing) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  std::fprintf(stderr, "sqlite baseline: %.*s: %s\n", static_cast<int>(doing.size()), doing.data(),
               db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
  std::exit(1);
}

void SqliteBaseline::Exec(const char* sql) {
  Check(sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), sql);
}

void SqliteBaseline::BeginLoad() {
  // The file is rebuilt from scratch when anything goes wrong, so it needs no journal.
  Exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN");
}

void SqliteBaseline::AddModelAncestor(std::string_view ancestor, std::string_view model_id) {
  std::vector<std::string> none;
  RunPrepared(kInsertModelAncestorSql, {{ancestor}, {model_id}}, none);
}

void SqliteBaseline::AddTwin(std::string_view id, std::string_view model_id, std::string_view doc) {
  std::vector<std::string> none;
  RunPrepared(kInsertTwinSql, {{id}, {model_id}, {doc}}, none);
}

void SqliteBaseline::AddRelationship(std::string_view source_id, std::string_view id,
                                     std::string_view target_id, std::string_view name,
                                     std::string_view doc) {
  std::vector<std::string> none;
  RunPrepared(kInsertRelationshipSql, {{source_id}, {id}, {target_id}, {name}, {doc}}, none);
}

void SqliteBaseline::EndLoad() {
  Exec("COMMIT");
  Exec(kIndexesSql);
}

void SqliteBaseline::Warm() {
  std::vector<std::string> rows;
  RunText(
      "SELECT sum(length(doc)) FROM twins UNION ALL SELECT sum(length(doc)) FROM relationships"
      " UNION ALL SELECT count(*) FROM twins INDEXED BY sqlite_autoindex_twins_1 WHERE id > ''"
      " UNION ALL SELECT count(*) FROM relationships INDEXED BY sqlite_autoindex_relationships_1"
      " WHERE source > ''"
      " UNION ALL SELECT count(*) FROM twins INDEXED BY twins_by_model WHERE model > ''"
      " UNION ALL SELECT count(*) FROM relationships INDEXED BY relationships_by_source_name"
      " WHERE source > ''"
      " UNION ALL SELECT count(*) FROM relationships INDEXED BY relationships_by_target"
      " WHERE target > ''",
      rows);
}

size_t SqliteBaseline::TwinCount() {
  std::vector<std::string> rows;
  RunText("SELECT count(*) FROM twins", rows);
  return std::stoul(rows.at(0));
}

std::string SqliteBaseline::ExplainPlan(const char* sql) {
  std::vector<std::string> steps;
  sqlite3_stmt* statement = Prepare("EXPLAIN QUERY PLAN " + std::string(sql));
  while (sqlite3_step(statement) == SQLITE_ROW) {
    steps.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement, 3)));
  }
  sqlite3_finalize(statement);
  std::string plan;
  for (const std::string& step : steps) plan += (plan.empty() ? "" : "; ") + step;
  return plan;
}

sqlite3_stmt* SqliteBaseline::Prepare(std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  Check(sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr),
        sql);
  return statement;
}

void SqliteBaseline::ReadRows(sqlite3_stmt* statement, std::vector<std::string>& rows) {
  int rc;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    rows.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)),
                      static_cast<size_t>(sqlite3_column_bytes(statement, 0)));
  }
  Check(rc, sqlite3_sql(statement));
}

void SqliteBaseline::RunPrepared(const char* sql, const std::vector<SqlParam>& params,
                                 std::vector<std::string>& rows) {
  sqlite3_stmt* statement = nullptr;
  for (auto& [text, prepared] : prepared_) {
    if (text == sql) statement = prepared;
  }
  if (statement == nullptr) {
    statement = Prepare(sql);
    prepared_.emplace_back(sql, statement);
  }
  for (size_t i = 0; i < params.size(); ++i) {
    int index = static_cast<int>(i + 1);
    const SqlParam& param = params[i];
    Check(param.is_integer
              ? sqlite3_bind_int64(statement, index, std::stoll(std::string(param.text)))
              : sqlite3_bind_text(statement, index, param.text.data(),
                                  static_cast<int>(param.text.size()), SQLITE_STATIC),
          sql);
  }
  ReadRows(statement, rows);
  sqlite3_reset(statement);
  sqlite3_clear_bindings(statement);
}

void SqliteBaseline::RunText(std::string_view sql, std::vector<std::string>& rows) {
  sqlite3_stmt* statement = Prepare(sql);
  ReadRows(statement, rows);
  sqlite3_finalize(statement);
}

std::string SqliteBaseline::Inline(std::string_view sql, const std::vector<SqlParam>& params) {
  std::string out;
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] != '?' || i + 1 == sql.size() || sql[i + 1] < '1' || sql[i + 1] > '9') {
      out += sql[i];
      continue;
    }
    const SqlParam& param = params.at(static_cast<size_t>(sql[++i] - '1'));
    if (param.is_integer) {
      out += param.text;
      continue;
    }
    out += '\'';
    for (char c : param.text) out += c == '\'' ? std::string("''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

}  // namespace dtwin::bench
