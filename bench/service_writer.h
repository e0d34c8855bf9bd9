// Populating a data dir through the service, as HTTP writes would, for the benchmarks that
// need a big store (load_bench, query_bench). Exits the process on any failure: these are
// benchmark drivers, and a half-populated store would make every figure after it wrong.
// Thread-safety: a ServiceWriter is driven by one thread; completions may run on any.
#pragma once

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "service/digital_twins_service.h"
#include "storage/store.h"

namespace dtwin::bench {

// A service over the SQLite store in dir, not yet started.
inline std::unique_ptr<service::DigitalTwinsService> OpenService(
    const std::string& dir, service::ServiceOptions options = {}) {
  auto store = storage::OpenSqliteStore({dir});
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    std::exit(1);
  }
  return std::make_unique<service::DigitalTwinsService>(std::move(store).value(),
                                                        std::move(options));
}

// Uploads one JSON array of models and waits for it.
inline void AddModelsOrExit(service::DigitalTwinsService& service,
                            const boost::json::value& models) {
  std::atomic<bool> done{false}, ok{false};
  service.AddModels(models, [&](auto result) {
    if (!result.ok()) std::fprintf(stderr, "%s\n", result.status().ToString().c_str());
    ok = result.ok();
    done = true;
  });
  while (!done) std::this_thread::yield();
  if (!ok) std::exit(1);
}

// Issues writes with at most kInFlight outstanding (enough to fill the store's group
// commits), and waits for all of them.
class ServiceWriter {
 public:
  // issue(i, finished) starts write i and arranges for finished(ok) to run when it completes.
  template <typename Issue>
  void Run(size_t count, Issue issue) {
    for (size_t i = 0; i < count; ++i) {
      while (in_flight_.load() >= kInFlight) std::this_thread::yield();
      ++in_flight_;
      issue(i, [this](bool ok) {
        if (!ok) failed_ = true;
        --in_flight_;
      });
    }
    while (in_flight_.load() > 0) std::this_thread::yield();
    if (failed_) {
      std::fprintf(stderr, "a write failed\n");
      std::exit(1);
    }
  }

 private:
  static constexpr int kInFlight = 512;
  std::atomic<int> in_flight_{0};
  std::atomic<bool> failed_{false};
};

}  // namespace dtwin::bench
