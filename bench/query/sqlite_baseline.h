// The query benchmark's baseline: the same twins and relationships in one SQLite file, in the
// schema a competent user of SQLite's JSON1 would write (documents as JSON text, the model and
// relationship endpoints as columns, indexes for the lookups the queries make), and the
// benchmark's queries written as SQL over it. Exits the process on any SQLite error (a
// benchmark driver). Not thread-safe: one thread uses a baseline at a time.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace dtwin::bench {

// A parameter ?N of a query: text (bound as text, inlined as a quoted literal) or an integer.
struct SqlParam {
  std::string_view text;
  bool is_integer = false;
};

// The benchmark's queries as SQL; each row is one JSON text, as dtwin's rows are.
// ?1 = twin id.
extern const char kPointSql[];
// ?1 = room id. Rows {"T": room, "S": sensor}.
extern const char kJoinSql[];
// ?1 = ancestor model id, ?2 = page size. The first page, in no particular order (the
// cheapest first page SQLite can give: no sort).
extern const char kHotSpacesSql[];

// An index a user who runs the hot-spaces query often would add, and the query written so
// that SQLite plans it on that index (the join above keeps to twins_by_model); measured as a
// variant.
extern const char kTemperatureIndexSql[];
extern const char kHotSpacesByTemperatureSql[];
extern const char kDropTemperatureIndexSql[];

class SqliteBaseline {
 public:
  // Opens the file at path; create = true replaces it with an empty baseline schema.
  SqliteBaseline(const std::string& path, bool create);
  ~SqliteBaseline();
  SqliteBaseline(const SqliteBaseline&) = delete;
  SqliteBaseline& operator=(const SqliteBaseline&) = delete;

  // ---- loading: one transaction between BeginLoad and EndLoad ----
  void BeginLoad();
  // model_id IS_OF_MODEL ancestor (every model is its own ancestor too).
  void AddModelAncestor(std::string_view ancestor, std::string_view model_id);
  void AddTwin(std::string_view id, std::string_view model_id, std::string_view doc);
  void AddRelationship(std::string_view source_id, std::string_view id, std::string_view target_id,
                       std::string_view name, std::string_view doc);
  // Commits, then builds the secondary indexes and the planner's statistics.
  void EndLoad();

  // ---- querying ----
  // Reads every document once, so the page cache holds the whole file (dtwin holds its whole
  // graph in memory; both sides are measured warm).
  void Warm();
  size_t TwinCount();
  void Exec(const char* sql);
  // SQLite's plan for sql, one line per step.
  std::string ExplainPlan(const char* sql);

  // Prepares sql once (the first time) and reuses it: what an application with a fixed set
  // of queries does. Appends each row's first column to rows.
  void RunPrepared(const char* sql, const std::vector<SqlParam>& params,
                   std::vector<std::string>& rows);
  // Prepares, runs and finalizes sql: what a query service that receives query text does.
  void RunText(std::string_view sql, std::vector<std::string>& rows);
  // sql with its parameters written in as literals (for RunText).
  static std::string Inline(std::string_view sql, const std::vector<SqlParam>& params);

 private:
  sqlite3_stmt* Prepare(std::string_view sql);
  void Check(int rc, std::string_view doing);
  void ReadRows(sqlite3_stmt* statement, std::vector<std::string>& rows);

  sqlite3* db_ = nullptr;
  // Statements prepared by RunPrepared and the loaders, by their SQL text's address.
  std::vector<std::pair<const char*, sqlite3_stmt*>> prepared_;
};

}  // namespace dtwin::bench
