// client_bench: how many GETs and PATCHes per second one process reaches through the C++
// client library: THREADS threads share one DigitalTwinsClient (so its connection pool), each
// making one call after another, as an application would. run_client_bench.sh compares it with
// wrk on the same endpoint. Output matches bench/http/wrk_support.sh's run_wrk:
// "req_per_s p50_us p99_us errors".
//
// Usage: client_bench populate URL MODEL_FILE TWIN_FILE TWINS
//        client_bench get|patch URL THREADS SECONDS TWINS
#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
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

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The model and twins bench-0 .. bench-(twins-1), as bench/http populates them.
void Populate(const std::string& url, const std::string& model_file, const std::string& twin_file,
              int twins) {
  DigitalTwinsClient client = MakeClient(url);
  client.CreateModels(boost::json::parse(ReadFile(model_file)).as_array());
  boost::json::object twin = boost::json::parse(ReadFile(twin_file)).as_object();
  for (int i = 0; i < twins; ++i) client.UpsertDigitalTwin("bench-" + std::to_string(i), twin);
}

struct ThreadResult {
  std::vector<int64_t> latencies_us;
  int64_t errors = 0;
};

// Runs `threads` threads calling `patch ? UpdateDigitalTwin : GetDigitalTwin` on random twins
// until `seconds` have passed; prints the run_wrk line.
int Run(const std::string& url, bool patch, int threads, double seconds, int twins) {
  DigitalTwinsClient client = MakeClient(url);
  std::atomic<bool> stop{false};
  std::vector<ThreadResult> results(threads);
  std::vector<std::thread> workers;
  Clock::time_point start = Clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      ThreadResult& result = results[t];
      result.latencies_us.reserve(1 << 16);
      std::mt19937 random(static_cast<unsigned>(t) * 7919u + 1);
      std::uniform_int_distribution<int> pick(0, twins - 1);
      std::uniform_real_distribution<double> temperature(0, 40);
      while (!stop.load(std::memory_order_relaxed)) {
        std::string id = "bench-" + std::to_string(pick(random));
        Clock::time_point sent = Clock::now();
        try {
          if (patch) {
            client.UpdateDigitalTwin(
                id,
                boost::json::array{boost::json::object{
                    {"op", "replace"}, {"path", "/temperature"}, {"value", temperature(random)}}});
          } else {
            client.GetDigitalTwin(id);
          }
        } catch (const dtwin::client::DigitalTwinsError& error) {
          if (result.errors++ == 0) std::cerr << "client_bench: " << error.what() << "\n";
        }
        result.latencies_us.push_back(
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - sent).count());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (std::thread& worker : workers) worker.join();
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

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.size() == 5 && args[0] == "populate") {
      Populate(args[1], args[2], args[3], std::stoi(args[4]));
      return 0;
    }
    if (args.size() == 5 && (args[0] == "get" || args[0] == "patch")) {
      return Run(args[1], args[0] == "patch", std::stoi(args[2]), std::stod(args[3]),
                 std::stoi(args[4]));
    }
  } catch (const std::exception& error) {
    std::cerr << "client_bench: " << error.what() << "\n";
    return 1;
  }
  std::cerr << "usage: client_bench populate URL MODEL_FILE TWIN_FILE TWINS\n"
               "       client_bench get|patch URL THREADS SECONDS TWINS\n";
  return 2;
}
