// Query benchmark: dtwin's query engine against the same queries written as SQL over the same
// data in SQLite, in the same process and the same run (see bench/query/README.md).
//   query_bench populate DIR N        builds the RealEstateCore-style graph of N twins (a
//                                     multiple of 1000) in DIR/dtwin through the service, and
//                                     the same documents in DIR/baseline.sqlite
//   query_bench run DIR [SECONDS]     starts a service over DIR/dtwin and measures each query
//                                     on both sides, single-threaded, for SECONDS (default 3)
//   query_bench bodies KIND N COUNT   prints COUNT POST /query bodies, one per line, for the
//                                     HTTP benchmark: KIND is point, join or hot
#include <algorithm>
#include <boost/json/parse.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bench/query/rec_graph.h"
#include "bench/query/sqlite_baseline.h"
#include "bench/service_writer.h"
#include "common/json_writer.h"

namespace {

using dtwin::bench::RecGraph;
using dtwin::bench::SqliteBaseline;
using dtwin::bench::SqlParam;
using dtwin::service::DigitalTwinsService;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string DtwinDir(const std::string& dir) { return dir + "/dtwin"; }
std::string BaselinePath(const std::string& dir) { return dir + "/baseline.sqlite"; }

boost::json::value ReadModels() {
  std::ifstream in(std::string(DTWIN_SOURCE_DIR) + "/bench/query/rec_models.json");
  std::ostringstream text;
  text << in.rdbuf();
  return boost::json::parse(text.str());
}

// (ancestor, model) for every model and each model it extends, directly or not, itself
// included: the rows of the baseline's model_ancestry table.
std::vector<std::pair<std::string, std::string>> ModelAncestry(const boost::json::value& models) {
  std::map<std::string, std::vector<std::string>> extends;
  for (const boost::json::value& model : models.as_array()) {
    std::vector<std::string>& bases = extends[std::string(model.at("@id").as_string())];
    if (const boost::json::value* base = model.as_object().if_contains("extends")) {
      if (base->is_string()) {
        bases.emplace_back(base->as_string());
      } else {
        for (const boost::json::value& b : base->as_array()) bases.emplace_back(b.as_string());
      }
    }
  }
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto& [model, bases] : extends) {
    std::set<std::string> seen;
    std::vector<std::string> pending = {model};
    while (!pending.empty()) {
      std::string ancestor = std::move(pending.back());
      pending.pop_back();
      if (!seen.insert(ancestor).second) continue;
      rows.emplace_back(ancestor, model);
      for (const std::string& base : extends[ancestor]) pending.push_back(base);
    }
  }
  return rows;
}

template <typename T>
void ExitUnlessOk(const dtwin::Result<T>& result, const std::string& doing) {
  if (result.ok()) return;
  std::fprintf(stderr, "query_bench: %s: %s\n", doing.c_str(), result.status().ToString().c_str());
  std::exit(1);
}

int Populate(const std::string& dir, size_t count) {
  RecGraph graph(count);
  std::filesystem::create_directories(dir);
  std::filesystem::remove_all(DtwinDir(dir));
  boost::json::value models = ReadModels();

  std::unique_ptr<DigitalTwinsService> service = dtwin::bench::OpenService(DtwinDir(dir));
  if (!service->Start().ok()) return 1;
  dtwin::bench::AddModelsOrExit(*service, models);
  dtwin::bench::ServiceWriter writer;
  auto report = [](auto finished) {
    return [finished](const auto& result) {
      if (!result.ok()) std::fprintf(stderr, "%s\n", result.status().ToString().c_str());
      finished(result.ok());
    };
  };
  auto start = Clock::now();
  writer.Run(graph.twin_count(), [&](size_t i, auto finished) {
    dtwin::bench::RecTwin twin = graph.Twin(i);
    service->PutTwin(twin.id, twin.body, {}, report(finished));
  });
  double twin_seconds = SecondsSince(start);
  writer.Run(graph.relationship_count(), [&](size_t j, auto finished) {
    dtwin::bench::RecRelationship r = graph.Relationship(j);
    boost::json::value body = {{"$targetId", r.target_id}, {"$relationshipName", r.name}};
    service->PutRelationship(r.source_id, r.id, body, {}, report(finished));
  });
  service->Flush();
  double seconds = SecondsSince(start);
  std::printf(
      "dtwin: populated %zu twins and %zu relationships through the service in %.1f s (twins "
      "%.1f s, relationships %.1f s)\n",
      graph.twin_count(), graph.relationship_count(), seconds, twin_seconds,
      seconds - twin_seconds);

  // The baseline gets the documents exactly as dtwin serves them ($etag, $metadata and all),
  // so both sides return the same bytes.
  start = Clock::now();
  SqliteBaseline baseline(BaselinePath(dir), /*create=*/true);
  baseline.BeginLoad();
  for (const auto& [ancestor, model] : ModelAncestry(models)) {
    baseline.AddModelAncestor(ancestor, model);
  }
  for (size_t i = 0; i < graph.twin_count(); ++i) {
    dtwin::bench::RecTwin twin = graph.Twin(i);
    auto json = service->GetTwinJson(twin.id);
    ExitUnlessOk(json, "reading twin " + twin.id);
    baseline.AddTwin(twin.id, twin.model_id, json.value().json);
  }
  for (size_t j = 0; j < graph.relationship_count(); ++j) {
    dtwin::bench::RecRelationship r = graph.Relationship(j);
    auto document = service->GetRelationship(r.source_id, r.id);
    ExitUnlessOk(document, "reading relationship " + r.id);
    baseline.AddRelationship(r.source_id, r.id, r.target_id, r.name,
                             dtwin::WriteJson(document.value().body));
  }
  baseline.EndLoad();
  std::printf("sqlite baseline: loaded and indexed in %.1f s, %.0f MB\n", SecondsSince(start),
              static_cast<double>(std::filesystem::file_size(BaselinePath(dir))) / 1e6);
  return 0;
}

// ---- measuring ----

struct Figures {
  size_t queries = 0;
  double per_second = 0;
  double p50_us = 0;
  double p99_us = 0;
  std::string error;  // set when the side could not run the query at all
};

// Runs query(k) for k = 0, 1, ... for at least `seconds` and at least min_queries times.
Figures Measure(double seconds, size_t min_queries, const std::function<void(size_t)>& query) {
  std::vector<double> latencies;
  auto start = Clock::now();
  for (size_t k = 0;; ++k) {
    auto before = Clock::now();
    query(k);
    auto after = Clock::now();
    latencies.push_back(std::chrono::duration<double, std::micro>(after - before).count());
    if (k + 1 >= min_queries && std::chrono::duration<double>(after - start).count() >= seconds) {
      break;
    }
  }
  Figures figures;
  figures.queries = latencies.size();
  figures.per_second = static_cast<double>(latencies.size()) / SecondsSince(start);
  std::sort(latencies.begin(), latencies.end());
  figures.p50_us = latencies[latencies.size() / 2];
  figures.p99_us = latencies[latencies.size() * 99 / 100];
  return figures;
}

// Rows equal as JSON values, in any order.
bool SameRows(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  std::vector<boost::json::value> left, right;
  for (const std::string& row : a) left.push_back(boost::json::parse(row));
  for (const std::string& row : b) right.push_back(boost::json::parse(row));
  for (const boost::json::value& row : left) {
    auto match = std::find(right.begin(), right.end(), row);
    if (match == right.end()) return false;
    right.erase(match);
  }
  return true;
}

bool AllHot(const std::vector<std::string>& rows) {
  return std::all_of(rows.begin(), rows.end(), [](const std::string& row) {
    boost::json::value twin = boost::json::parse(row);
    const boost::json::value* temperature = twin.as_object().if_contains("temperature");
    // 27.0 comes back as 27: any number.
    return temperature && temperature->is_number() &&
           temperature->to_number<double>() > RecGraph::kHotTemperature;
  });
}

// One query of the benchmark on the three sides: dtwin's engine, SQLite with the query text
// prepared each time, SQLite with one prepared statement.
struct QueryCase {
  std::string name;                            // for check failures
  std::vector<std::string> adt;                // dtwin's text for sample k % size
  const char* sql = nullptr;                   // the SQL with ?N parameters
  std::vector<std::vector<std::string>> args;  // its parameters for sample k % size
  std::vector<bool> integer_args;              // which parameters are integers
  size_t page_size = 0;                        // max-items-per-page; 0 = the default
  // Checks sample k's rows from dtwin against SQLite's; returns what is wrong, or "".
  std::function<std::string(const std::vector<std::string>& dtwin,
                            const std::vector<std::string>& sqlite)>
      check;
};

struct CaseFigures {
  Figures dtwin, sqlite_text, sqlite_prepared;
  std::string check_failure;
};

class Bench {
 public:
  Bench(DigitalTwinsService& service, SqliteBaseline& baseline, double seconds)
      : service_(service), baseline_(baseline), seconds_(seconds) {}

  // measure_dtwin = false: dtwin runs only for the checks (a variant of the SQLite side).
  CaseFigures Run(const QueryCase& c, size_t min_queries, bool measure_dtwin = true) {
    std::vector<std::vector<SqlParam>> params;
    std::vector<std::string> texts;
    for (const std::vector<std::string>& args : c.args) {
      std::vector<SqlParam>& p = params.emplace_back();
      for (size_t i = 0; i < args.size(); ++i) p.push_back({args[i], c.integer_args[i]});
      texts.push_back(SqliteBaseline::Inline(c.sql, p));
    }
    CaseFigures figures;
    std::vector<std::string> rows;
    auto sqlite_text = [&](size_t k) {
      rows.clear();
      baseline_.RunText(texts[k % texts.size()], rows);
    };
    auto sqlite_prepared = [&](size_t k) {
      rows.clear();
      baseline_.RunPrepared(c.sql, params[k % params.size()], rows);
    };
    std::string error;
    auto dtwin = [&](size_t k) {
      auto page = service_.Query({c.adt[k % c.adt.size()], "", c.page_size});
      if (!page.ok()) {
        error = page.status().ToString();
        rows.clear();
        return;
      }
      rows = std::move(page.value().rows);
    };
    // Both sides must agree before either is timed.
    for (size_t k = 0; k < std::min<size_t>(20, c.adt.size()) && error.empty(); ++k) {
      dtwin(k);
      std::vector<std::string> dtwin_rows = std::move(rows);
      sqlite_prepared(k);
      std::vector<std::string> prepared_rows = rows;
      sqlite_text(k);
      if (!error.empty()) break;
      std::string problem =
          rows != prepared_rows ? "SQLite's two forms disagree" : c.check(dtwin_rows, rows);
      if (!problem.empty() && figures.check_failure.empty()) {
        figures.check_failure = c.name + ", sample " + std::to_string(k) + ": " + problem;
      }
    }
    if (error.empty() && measure_dtwin) figures.dtwin = Measure(seconds_, min_queries, dtwin);
    if (!error.empty()) figures.dtwin.error = error;
    figures.sqlite_text = Measure(seconds_, min_queries, sqlite_text);
    figures.sqlite_prepared = Measure(seconds_, min_queries, sqlite_prepared);
    return figures;
  }

 private:
  DigitalTwinsService& service_;
  SqliteBaseline& baseline_;
  double seconds_;
};

std::string Thousands(double value) {
  std::string digits = std::to_string(static_cast<long long>(value + 0.5));
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  return digits;
}

std::string Format(const char* format, double a, double b = 0, double c = 0) {
  char text[96];
  std::snprintf(text, sizeof text, format, a, b, c);
  return text;
}

std::string Throughput(const Figures& f) {
  if (!f.error.empty()) return "error: " + f.error;
  return Thousands(f.per_second) + "/s (" + Format("%.1f / %.1f µs", f.p50_us, f.p99_us) + ")";
}

std::string Latency(const Figures& f) {
  if (!f.error.empty()) return "error: " + f.error;
  return Format("%.2f ms (p99 %.2f)", f.p50_us / 1000, f.p99_us / 1000);
}

std::string Ratio(double ratio) {
  if (!std::isfinite(ratio) || ratio <= 0) return "—";
  return Format(ratio >= 10 ? "%.0f×" : ratio >= 1 ? "%.1f×" : "%.2f×", ratio);
}

void PrintThroughputRow(const std::string& title, const CaseFigures& f) {
  bool ok = f.dtwin.error.empty();
  std::printf("| %s | %s | %s | %s | %s | %s |\n", title.c_str(), Throughput(f.dtwin).c_str(),
              Throughput(f.sqlite_text).c_str(), Throughput(f.sqlite_prepared).c_str(),
              Ratio(ok ? f.dtwin.per_second / f.sqlite_text.per_second : 0).c_str(),
              Ratio(ok ? f.dtwin.per_second / f.sqlite_prepared.per_second : 0).c_str());
}

void PrintLatencyRow(const std::string& title, const CaseFigures& f) {
  bool ok = f.dtwin.error.empty();
  std::printf("| %s | %s | %s | %s | %s | %s |\n", title.c_str(), Latency(f.dtwin).c_str(),
              Latency(f.sqlite_text).c_str(), Latency(f.sqlite_prepared).c_str(),
              Ratio(ok ? f.sqlite_text.p50_us / f.dtwin.p50_us : 0).c_str(),
              Ratio(ok ? f.sqlite_prepared.p50_us / f.dtwin.p50_us : 0).c_str());
}

int RunBench(const std::string& dir, double seconds) {
  SqliteBaseline baseline(BaselinePath(dir), /*create=*/false);
  RecGraph graph(baseline.TwinCount());

  auto start = Clock::now();
  std::unique_ptr<DigitalTwinsService> service = dtwin::bench::OpenService(DtwinDir(dir));
  if (dtwin::Status started = service->Start(); !started.ok()) {
    std::fprintf(stderr, "query_bench: %s\n", started.ToString().c_str());
    return 1;
  }
  double load_seconds = SecondsSince(start);
  start = Clock::now();
  baseline.Warm();
  double warm_seconds = SecondsSince(start);

  // Random twins and rooms, the same every run.
  constexpr size_t kSamples = 100000;
  std::mt19937_64 random(42);
  std::uniform_int_distribution<size_t> any_twin(0, graph.twin_count() - 1);
  std::uniform_int_distribution<size_t> any_room(0, graph.room_count() - 1);

  QueryCase point, join;
  point.name = "point query";
  join.name = "one-hop JOIN";
  point.sql = dtwin::bench::kPointSql;
  join.sql = dtwin::bench::kJoinSql;
  point.integer_args = join.integer_args = {false};
  for (size_t k = 0; k < kSamples; ++k) {
    std::string twin = graph.TwinId(any_twin(random));
    point.adt.push_back(dtwin::bench::PointQuery(twin));
    point.args.push_back({twin});
    std::string room = graph.RoomId(any_room(random));
    join.adt.push_back(dtwin::bench::JoinQuery(room));
    join.args.push_back({room});
  }
  auto same_rows = [](size_t expected) {
    return
        [expected](const std::vector<std::string>& dtwin, const std::vector<std::string>& sqlite) {
          if (sqlite.size() != expected)
            return "SQLite returned " + std::to_string(sqlite.size()) + " rows";
          return SameRows(dtwin, sqlite) ? std::string() : std::string("the rows differ");
        };
  };
  point.check = same_rows(1);
  join.check = same_rows(RecGraph::kSensorsPerRoom);

  auto hot = [&](size_t page_size) {
    size_t expected = std::min(page_size, graph.hot_space_count());
    QueryCase c;
    c.name = "IS_OF_MODEL, page of " + std::to_string(page_size);
    c.adt = {dtwin::bench::HotSpacesQuery()};
    c.sql = dtwin::bench::kHotSpacesSql;
    c.args = {{std::string(dtwin::bench::kSpaceModel), std::to_string(page_size)}};
    c.integer_args = {false, true};
    c.page_size = page_size;
    c.check = [expected, whole = page_size >= graph.hot_space_count()](
                  const std::vector<std::string>& dtwin, const std::vector<std::string>& sqlite) {
      if (dtwin.size() != expected || sqlite.size() != expected) {
        return "expected " + std::to_string(expected) + " rows, dtwin returned " +
               std::to_string(dtwin.size()) + " and SQLite " + std::to_string(sqlite.size());
      }
      if (!AllHot(dtwin) || !AllHot(sqlite)) return std::string("a row is not above the threshold");
      // A page that holds every match must hold the same twins on both sides.
      return !whole || SameRows(dtwin, sqlite) ? std::string() : std::string("the rows differ");
    };
    return c;
  };
  QueryCase hot100 = hot(100), hot1000 = hot(1000);

  Bench bench(*service, baseline, seconds);
  constexpr size_t kMinLatencySamples = 50;
  CaseFigures point_figures = bench.Run(point, 1000);
  CaseFigures join_figures = bench.Run(join, 1000);
  CaseFigures hot100_figures = bench.Run(hot100, kMinLatencySamples);
  CaseFigures hot1000_figures = bench.Run(hot1000, kMinLatencySamples);

  start = Clock::now();
  baseline.Exec(dtwin::bench::kTemperatureIndexSql);
  double index_seconds = SecondsSince(start);
  std::string indexed_plan = baseline.ExplainPlan(dtwin::bench::kHotSpacesByTemperatureSql);
  hot100.sql = hot1000.sql = dtwin::bench::kHotSpacesByTemperatureSql;
  CaseFigures indexed100 = bench.Run(hot100, kMinLatencySamples, /*measure_dtwin=*/false);
  CaseFigures indexed1000 = bench.Run(hot1000, kMinLatencySamples, /*measure_dtwin=*/false);
  // The variant rows compare with the dtwin figures measured above.
  indexed100.dtwin = hot100_figures.dtwin;
  indexed1000.dtwin = hot1000_figures.dtwin;
  baseline.Exec(dtwin::bench::kDropTemperatureIndexSql);

  std::printf(
      "In-process, one thread, %zu twins and %zu relationships (dtwin loaded them in %.1f s; "
      "SQLite warmed in %.1f s); each figure from >= %.0f s of queries\n\n",
      graph.twin_count(), graph.relationship_count(), load_seconds, warm_seconds, seconds);
  std::printf(
      "| Query | dtwin engine | SQLite, SQL text prepared per query | SQLite, prepared "
      "statement | dtwin vs SQLite text | dtwin vs SQLite prepared |\n");
  std::printf("| --- | ---: | ---: | ---: | ---: | ---: |\n");
  PrintThroughputRow("point: `T.$dtId` = random twin, 1 row (queries/s, p50 / p99)", point_figures);
  PrintThroughputRow("one-hop JOIN from a random room, 4 rows (queries/s, p50 / p99)",
                     join_figures);
  PrintLatencyRow("IS_OF_MODEL(Space) AND temperature > 26 (1% of twins), first page of 100",
                  hot100_figures);
  PrintLatencyRow("the same, first page of 1000", hot1000_figures);
  PrintLatencyRow(
      "the same, first page of 100, SQLite with an index on json_extract(doc, "
      "'$.temperature')",
      indexed100);
  PrintLatencyRow("the same, first page of 1000, SQLite with that index", indexed1000);
  std::printf("\nSQLite plans:\n");
  std::printf("- point: %s\n", baseline.ExplainPlan(dtwin::bench::kPointSql).c_str());
  std::printf("- join: %s\n", baseline.ExplainPlan(dtwin::bench::kJoinSql).c_str());
  std::printf("- IS_OF_MODEL: %s\n", baseline.ExplainPlan(dtwin::bench::kHotSpacesSql).c_str());
  std::printf("- IS_OF_MODEL with the temperature index (built in %.1f s): %s\n", index_seconds,
              indexed_plan.c_str());

  bool failed = false;
  for (const CaseFigures* f : {&point_figures, &join_figures, &hot100_figures, &hot1000_figures,
                               &indexed100, &indexed1000}) {
    if (f->check_failure.empty()) continue;
    std::printf("CHECK FAILED: %s\n", f->check_failure.c_str());
    failed = true;
  }
  return failed ? 1 : 0;
}

int PrintBodies(const std::string& kind, size_t twins, size_t count) {
  RecGraph graph(twins);
  std::mt19937_64 random(7);
  std::uniform_int_distribution<size_t> any_twin(0, graph.twin_count() - 1);
  std::uniform_int_distribution<size_t> any_room(0, graph.room_count() - 1);
  for (size_t k = 0; k < count; ++k) {
    std::string text;
    if (kind == "point") {
      text = dtwin::bench::PointQuery(graph.TwinId(any_twin(random)));
    } else if (kind == "join") {
      text = dtwin::bench::JoinQuery(graph.RoomId(any_room(random)));
    } else if (kind == "hot") {
      text = dtwin::bench::HotSpacesQuery();
    } else {
      return 2;
    }
    std::printf("%s\n", dtwin::WriteJson(boost::json::object{{"query", text}}).c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.size() == 3 && args[0] == "populate") return Populate(args[1], std::stoul(args[2]));
    if ((args.size() == 2 || args.size() == 3) && args[0] == "run") {
      return RunBench(args[1], args.size() == 3 ? std::stod(args[2]) : 3.0);
    }
    if (args.size() == 4 && args[0] == "bodies") {
      int rc = PrintBodies(args[1], std::stoul(args[2]), std::stoul(args[3]));
      if (rc == 0) return 0;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "query_bench: %s\n", e.what());
    return 2;
  }
  std::fprintf(stderr,
               "usage: query_bench populate DIR N | query_bench run DIR [SECONDS] | "
               "query_bench bodies point|join|hot N COUNT\n");
  return 2;
}
