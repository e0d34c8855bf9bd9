// Restart benchmark: how long `dtwin serve` takes to load N twins and N relationships from
// its store, and how much resident memory each twin costs once loaded.
//   load_bench populate DIR N [R]  fills DIR through the service (as HTTP writes would) with N
//                                  twins and R relationships (default N)
//   load_bench restart DIR      starts a service over DIR and reports time and memory
// The two phases run as separate processes so the restart measures a cold process.
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "bench/service_writer.h"

namespace {

using dtwin::bench::AddModelsOrExit;
using dtwin::bench::OpenService;
using dtwin::bench::ServiceWriter;
using dtwin::service::DigitalTwinsService;

// The model and the ~1 KB twin body of the HTTP benchmark (what a client sends; the stored
// document adds $metadata timestamps), so both benchmarks measure the same twins.
std::string ReadBenchFile(const char* name) {
  std::ifstream in(std::string(DTWIN_SOURCE_DIR) + "/bench/http/" + name);
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

long ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

int Populate(const std::string& dir, size_t count, size_t relationships) {
  std::unique_ptr<DigitalTwinsService> service = OpenService(dir);
  if (!service->Start().ok()) return 1;
  AddModelsOrExit(*service, boost::json::parse(ReadBenchFile("bench_model.json")));
  boost::json::value twin = boost::json::parse(ReadBenchFile("bench_twin.json"));
  ServiceWriter writer;
  auto start = std::chrono::steady_clock::now();
  writer.Run(count, [&](size_t i, auto finished) {
    service->PutTwin("room-" + std::to_string(i), twin, {},
                     [finished](auto result) { finished(result.ok()); });
  });
  writer.Run(relationships, [&](size_t i, auto finished) {
    boost::json::value body = {{"$targetId", "room-" + std::to_string((i + 1) % count)},
                               {"$relationshipName", "next"}};
    service->PutRelationship("room-" + std::to_string(i), "next", body, {},
                             [finished](auto result) { finished(result.ok()); });
  });
  service->Flush();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("populated %zu twins and %zu relationships in %.1f s\n", count, relationships,
              seconds);
  return 0;
}

int Restart(const std::string& dir) {
  long before = ResidentBytes();
  auto start = std::chrono::steady_clock::now();
  std::unique_ptr<DigitalTwinsService> service = OpenService(dir);
  dtwin::Status started = service->Start();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!started.ok()) {
    std::fprintf(stderr, "load_bench: %s\n", started.ToString().c_str());
    return 1;
  }
  long after = ResidentBytes();
  auto page = service->ListRelationships("room-0", "", {});
  size_t twins = 0;
  for (size_t i = 0;; ++i) {
    if (!service->GetTwin("room-" + std::to_string(i)).ok()) break;
    twins = i + 1;
  }
  std::printf(
      "restart: loaded %zu twins (and their relationships) in %.2f s; resident memory "
      "grew %.0f MB, %.0f bytes per twin%s\n",
      twins, seconds, (after - before) / 1e6,
      twins ? static_cast<double>(after - before) / static_cast<double>(twins) : 0.0,
      page.ok() ? "" : " (listing relationships FAILED)");
  return page.ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 2 ? argv[1] : "";
  if (mode == "populate" && (argc == 4 || argc == 5)) {
    size_t twins = std::stoul(argv[3]);
    return Populate(argv[2], twins, argc == 5 ? std::stoul(argv[4]) : twins);
  }
  if (mode == "restart" && argc == 3) return Restart(argv[2]);
  std::fprintf(stderr, "usage: load_bench populate DIR N [R] | load_bench restart DIR\n");
  return 2;
}
