// Runs the libcurl transfers of a client on one event-loop thread (a curl multi handle driven
// by epoll), as wrk does, so N concurrent calls cost one thread's polling and not N threads'
// own. Transfers are submitted from any thread and report their end on the loop thread; the
// loop also runs timed tasks (the waits between retries of asynchronous calls). Thread-safe.
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "dtwin/client/call_context.h"

namespace dtwin::client {

class TransferLoop {
 public:
  using Clock = CallContext::Clock;

  // One transfer: owned by whoever submits it, alive until Finished has been called.
  class Transfer {
   public:
    CURL* easy = nullptr;                  // adopted, fully configured, not in use elsewhere
    const CallContext* context = nullptr;  // looked at every kCancelPollInterval

    // libcurl's result; CURLE_ABORTED_BY_CALLBACK when the context was cancelled or the loop
    // is being destroyed. Called on the loop thread (on the destroying thread for transfers
    // the loop ends while it is destroyed); may submit new transfers.
    virtual void Finished(CURLcode result) = 0;

   protected:
    ~Transfer() = default;
  };

  // A timed task; `stopping` is true when it runs early because the loop is being destroyed.
  using Task = std::function<void(bool stopping)>;

  // The loop thread starts with the first transfer or task.
  TransferLoop() = default;
  // Ends the transfers and tasks still pending (see Transfer::Finished, Task).
  ~TransferLoop();
  TransferLoop(const TransferLoop&) = delete;
  TransferLoop& operator=(const TransferLoop&) = delete;

  // Makes a new easy handle's connections known to the loop; once per handle, before its
  // first transfer.
  void Adopt(CURL* easy);

  // Starts `transfer`. Connections are cached by the loop and shared by all handles.
  // Throws DigitalTwinsError (kConnectionError) when the loop cannot start.
  void Submit(Transfer& transfer);

  // Runs `task` on the loop thread at `when` (or soon after).
  void RunAt(Clock::time_point when, Task task);

  // True on the loop's own thread, where waiting for a transfer would wait forever.
  bool OnLoopThread() const { return std::this_thread::get_id() == loop_thread_id_.load(); }

  // How often the loop looks at the cancellation flags of the calls in flight.
  static constexpr std::chrono::milliseconds kCancelPollInterval{20};

 private:
  struct TimedTask {
    Clock::time_point when;
    Task task;
    bool operator>(const TimedTask& other) const { return when > other.when; }
  };

  void Start();
  void Run();
  void Wake();
  int WaitMilliseconds() const;
  void RunExpiredTimers();
  void RunDueTasks();
  void FinishDoneTransfers();
  void CancelTransfers();
  void Finish(Transfer& transfer, CURLcode result);
  void FinishEverything();
  void Watch(curl_socket_t socket, uint32_t events);
  static int OnSocket(CURL* easy, curl_socket_t socket, int what, void* loop, void* socket_data);
  static curl_socket_t OnOpenSocket(void* loop, curlsocktype purpose, curl_sockaddr* address);
  static int OnCloseSocket(void* loop, curl_socket_t socket);
  static int OnTimer(CURLM* multi, long timeout_ms, void* loop);

  std::once_flag started_;
  std::thread thread_;
  std::atomic<std::thread::id> loop_thread_id_;

  // Used by the loop thread only once it runs (Start creates them before it).
  CURLM* multi_ = nullptr;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;                            // an eventfd that interrupts epoll_wait
  std::optional<Clock::time_point> timer_due_;  // libcurl's next timeout
  std::vector<Transfer*> running_;              // in multi_
  std::vector<TimedTask> tasks_;                // a min-heap by `when` (std::greater)
  Clock::time_point next_cancel_check_;
  // Per socket number. A connection's socket stays in epoll between its transfers (saving
  // two epoll_ctl calls per request) until libcurl closes it; other sockets libcurl watches
  // (a resolver's) are removed when it stops watching them.
  struct SocketState {
    bool connection = false;  // opened through OnOpenSocket, not yet closed
    bool watched = false;     // libcurl wants its events
    uint32_t registered = 0;  // epoll events it is registered with; 0: not in epoll
  };
  std::vector<SocketState> sockets_;
  SocketState& Socket(curl_socket_t socket);

  std::mutex mu_;
  std::vector<Transfer*> pending_;        // guarded by mu_: submitted, not yet in multi_
  std::vector<TimedTask> pending_tasks_;  // guarded by mu_: not yet in tasks_
  bool stopping_ = false;                 // guarded by mu_
  std::atomic<bool> sleeping_{false};     // the loop is (about to be) in epoll_wait
};

}  // namespace dtwin::client
