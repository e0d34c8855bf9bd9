// Sample: many calls in flight from one thread with the asynchronous forms — create rooms,
// publish telemetry from each, read them back and delete them, each step's calls all started
// at once and then waited for. Callbacks run on the client's I/O thread: they only count here.
// Run: AZURE_URL=http://127.0.0.1:8080 ./async_calls
// (credentials: see create_client.cpp; the models: sample_models.h).
#include <condition_variable>
#include <exception>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

#include "sample_client.h"
#include "sample_models.h"

using dtwin::client::AsyncResult;
using dtwin::client::DigitalTwinsClient;

namespace {

constexpr int kRooms = 50;

// Counts the calls of one step as their callbacks report, and waits for the last one.
class StepCounter {
 public:
  explicit StepCounter(int calls) : left_(calls) {}

  // For a callback: counts the call, keeping its failure (if any) for Wait to rethrow.
  template <typename T>
  void Done(const AsyncResult<T>& result) {
    std::lock_guard lock(mu_);
    if (!result.ok() && !failure_) failure_ = result.failure();
    if (--left_ == 0) finished_.notify_one();
  }

  // Blocks until every call has reported; rethrows the first failure, as the synchronous
  // calls would have thrown it (RunSample reports it).
  void Wait() {
    std::unique_lock lock(mu_);
    finished_.wait(lock, [this] { return left_ == 0; });
    if (failure_) std::rethrow_exception(failure_);
  }

 private:
  std::mutex mu_;
  std::condition_variable finished_;
  int left_;
  std::exception_ptr failure_;
};

std::string RoomId(int i) { return "sample-async-room-" + std::to_string(i); }

}  // namespace

int main() {
  return dtwin::samples::RunSample([] {
    DigitalTwinsClient client = dtwin::samples::CreateClientFromEnvironment();
    dtwin::samples::UploadSampleModels(client);

    StepCounter created(kRooms);
    for (int i = 0; i < kRooms; ++i) {
      boost::json::object room = {{"$metadata", {{"$model", dtwin::samples::kRoomModelId}}},
                                  {"name", "Room " + std::to_string(i)},
                                  {"thermostat", {{"$metadata", boost::json::object()}}}};
      client.UpsertDigitalTwinAsync(
          RoomId(i), room,
          [&created](AsyncResult<boost::json::object> result) { created.Done(result); });
    }
    created.Wait();
    std::cout << "Created " << kRooms << " rooms\n";

    StepCounter published(kRooms);
    for (int i = 0; i < kRooms; ++i) {
      client.PublishTelemetryAsync(
          RoomId(i), {{"occupancy", i % 5}},
          [&published](AsyncResult<void> result) { published.Done(result); });
    }
    published.Wait();
    std::cout << "Published telemetry from " << kRooms << " rooms\n";

    // The results land in slots of their own: each callback writes only its room's.
    std::vector<std::string> names(kRooms);
    StepCounter read(kRooms);
    for (int i = 0; i < kRooms; ++i) {
      client.GetDigitalTwinAsync(RoomId(i),
                                 [&read, &names, i](AsyncResult<boost::json::object> result) {
                                   if (result.ok())
                                     names[i] = std::string(result.value().at("name").as_string());
                                   read.Done(result);
                                 });
    }
    read.Wait();
    std::cout << "Read " << kRooms << " rooms back, the last is named \"" << names.back() << "\"\n";

    StepCounter deleted(kRooms);
    for (int i = 0; i < kRooms; ++i) {
      client.DeleteDigitalTwinAsync(RoomId(i),
                                    [&deleted](AsyncResult<void> result) { deleted.Done(result); });
    }
    deleted.Wait();
    std::cout << "Deleted " << kRooms << " rooms\n";
  });
}
