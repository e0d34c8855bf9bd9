// client_bench: how many GETs and PATCHes per second one process reaches through the C++
// client library with N calls in flight on one DigitalTwinsClient (so its connection pool):
// - get|patch: N threads, each making one synchronous call after another;
// - get-async|patch-async: N asynchronous calls, each one's callback starting the next (no
//   threads of the caller's at all, as wrk keeps its connections busy).
// run_client_bench.sh compares both with wrk on the same endpoint. Output matches
// bench/http/wrk_support.sh's run_wrk: "req_per_s p50_us p99_us errors".
//
// Usage: client_bench get|patch|get-async|patch-async URL CALLS SECONDS TWINS
// (the twins bench-0 .. bench-(TWINS-1) exist: bench/http/wrk_support.sh's populate_twins)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "dtwin/client/digital_twins_client.h"

namespace {

using dtwin::client::DigitalTwinsClient;
using Clock = std::chrono::steady_clock;

DigitalTwinsClient MakeClient(const std::string& url) {
  // The calls are what is measured: no retries hide a failure, and the server is local.
  dtwin::client::DigitalTwinsClientOptions options;
  options.retry.max_retries = 0;
  return DigitalTwinsClient(url, std::make_shared<dtwin::client::StaticTokenCredential>("bench"),
                            options);
}

struct ThreadResult {
  std::vector<int64_t> latencies_us;
  int64_t errors = 0;
};

// The random twin and patch of the next call.
struct CallPicker {
  std::mt19937 random;
  std::uniform_int_distribution<int> pick;
  std::uniform_real_distribution<double> temperature{0, 40};

  CallPicker(int seed, int twins)
      : random(static_cast<unsigned>(seed) * 7919u + 1), pick(0, twins - 1) {}
  std::string TwinId() { return "bench-" + std::to_string(pick(random)); }
  boost::json::array Patch() {
    return boost::json::array{boost::json::object{
        {"op", "replace"}, {"path", "/temperature"}, {"value", temperature(random)}}};
  }
};

int64_t MicrosSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
}

// Prints the run_wrk line of all the calls' latencies.
int Report(const std::vector<ThreadResult>& results, Clock::time_point start) {
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<int64_t> latencies;
  int64_t errors = 0;
  for (const ThreadResult& result : results) {
    latencies.insert(latencies.end(), result.latencies_us.begin(), result.latencies_us.end());
    errors += result.errors;
  }
  if (latencies.empty()) return 1;
  std::sort(latencies.begin(), latencies.end());
  auto percentile = [&](double p) {
    return latencies[static_cast<size_t>(p * (latencies.size() - 1))];
  };
  std::printf("%.0f %lld %lld %lld\n", static_cast<double>(latencies.size()) / elapsed,
              static_cast<long long>(percentile(0.50)), static_cast<long long>(percentile(0.99)),
              static_cast<long long>(errors));
  return 0;
}

// Runs `threads` threads calling `patch ? UpdateDigitalTwin : GetDigitalTwin` on random twins
// until `seconds` have passed.
int RunThreads(const std::string& url, bool patch, int threads, double seconds, int twins) {
  DigitalTwinsClient client = MakeClient(url);
  std::atomic<bool> stop{false};
  std::vector<ThreadResult> results(threads);
  std::vector<std::thread> workers;
  Clock::time_point start = Clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      ThreadResult& result = results[t];
      result.latencies_us.reserve(1 << 16);
      CallPicker picker(t, twins);
      while (!stop.load(std::memory_order_relaxed)) {
        std::string id = picker.TwinId();
        Clock::time_point sent = Clock::now();
        try {
          if (patch) {
            client.UpdateDigitalTwin(id, picker.Patch());
          } else {
            client.GetDigitalTwin(id);
          }
        } catch (const dtwin::client::DigitalTwinsError& error) {
          if (result.errors++ == 0) std::cerr << "client_bench: " << error.what() << "\n";
        }
        result.latencies_us.push_back(MicrosSince(sent));
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (std::thread& worker : workers) worker.join();
  return Report(results, start);
}

// `calls` asynchronous call chains: each call's callback records it and starts the next one
// of its chain, until `seconds` have passed. A chain's state is touched by one call at a time.
class AsyncRun {
 public:
  AsyncRun(const std::string& url, bool patch, int calls, int twins)
      : client_(MakeClient(url)), patch_(patch), results_(calls) {
    for (int i = 0; i < calls; ++i) {
      chains_.push_back(Chain{CallPicker(i, twins), &results_[i], {}});
      results_[i].latencies_us.reserve(1 << 18);
    }
  }

  int Run(double seconds) {
    Clock::time_point start = Clock::now();
    in_flight_ = static_cast<int>(chains_.size());
    for (Chain& chain : chains_) Next(chain);
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop_ = true;
    std::unique_lock lock(mu_);
    drained_.wait(lock, [&] { return in_flight_ == 0; });
    return Report(results_, start);
  }

 private:
  struct Chain {
    CallPicker picker;
    ThreadResult* result;
    Clock::time_point sent;
  };

  void Next(Chain& chain) {
    if (stop_.load(std::memory_order_relaxed)) {
      std::lock_guard lock(mu_);
      if (--in_flight_ == 0) drained_.notify_one();
      return;
    }
    std::string id = chain.picker.TwinId();
    chain.sent = Clock::now();
    auto record = [this, &chain](auto&& outcome) {
      chain.result->latencies_us.push_back(MicrosSince(chain.sent));
      if (!outcome.ok() && chain.result->errors++ == 0) {
        try {
          std::rethrow_exception(outcome.failure());
        } catch (const std::exception& error) {
          std::cerr << "client_bench: " << error.what() << "\n";
        }
      }
      Next(chain);
    };
    if (patch_) {
      client_.UpdateDigitalTwinAsync(id, chain.picker.Patch(), record);
    } else {
      client_.GetDigitalTwinAsync(id, record);
    }
  }

  DigitalTwinsClient client_;
  bool patch_;
  std::vector<ThreadResult> results_;
  std::vector<Chain> chains_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable drained_;
  int in_flight_ = 0;  // guarded by mu_ once the calls run
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.size() == 5 && (args[0] == "get" || args[0] == "patch")) {
      return RunThreads(args[1], args[0] == "patch", std::stoi(args[2]), std::stod(args[3]),
                        std::stoi(args[4]));
    }
    if (args.size() == 5 && (args[0] == "get-async" || args[0] == "patch-async")) {
      AsyncRun run(args[1], args[0] == "patch-async", std::stoi(args[2]), std::stoi(args[4]));
      return run.Run(std::stod(args[3]));
    }
  } catch (const std::exception& error) {
    std::cerr << "client_bench: " << error.what() << "\n";
    return 1;
  }
  std::cerr << "usage: client_bench get|patch|get-async|patch-async URL CALLS SECONDS TWINS\n";
  return 2;
}
