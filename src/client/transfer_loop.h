// Runs the libcurl transfers of many calling threads on one event-loop thread (a curl multi
// handle driven by epoll), as wrk does, so N concurrent calls cost one thread's polling and
// not N threads' own; the calling thread sleeps until its transfer ends. Thread-safe.
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "dtwin/client/call_context.h"

namespace dtwin::client {

class TransferLoop {
 public:
  // The loop thread starts with the first transfer.
  TransferLoop() = default;
  ~TransferLoop();
  TransferLoop(const TransferLoop&) = delete;
  TransferLoop& operator=(const TransferLoop&) = delete;

  // Makes a new easy handle's connections known to the loop; once per handle, before its
  // first Perform.
  void Adopt(CURL* easy);

  // Runs `easy` (adopted, fully configured, not in use elsewhere) to its end and returns libcurl's
  // result: CURLE_ABORTED_BY_CALLBACK when `context` was cancelled meanwhile (the loop looks
  // every kCancelPollInterval). Connections are cached by the loop and shared by all handles.
  // Throws DigitalTwinsError (kConnectionError) when the loop cannot start.
  CURLcode Perform(CURL* easy, const CallContext& context);

  // How often the loop looks at the cancellation flags of the calls in flight.
  static constexpr std::chrono::milliseconds kCancelPollInterval{20};

 private:
  struct Transfer;

  void Start();
  void Run();
  void Wake();
  int WaitMilliseconds() const;
  void RunExpiredTimers();
  void FinishDoneTransfers();
  void CancelTransfers();
  void Finish(Transfer& transfer, CURLcode result);
  void Watch(curl_socket_t socket, uint32_t events);
  static int OnSocket(CURL* easy, curl_socket_t socket, int what, void* loop, void* socket_data);
  static curl_socket_t OnOpenSocket(void* loop, curlsocktype purpose, curl_sockaddr* address);
  static int OnCloseSocket(void* loop, curl_socket_t socket);
  static int OnTimer(CURLM* multi, long timeout_ms, void* loop);

  std::once_flag started_;
  std::thread thread_;

  // Used by the loop thread only once it runs (Start creates them before it).
  CURLM* multi_ = nullptr;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;  // an eventfd that interrupts epoll_wait
  std::optional<CallContext::Clock::time_point> timer_due_;  // libcurl's next timeout
  std::vector<Transfer*> running_;                           // in multi_
  CallContext::Clock::time_point next_cancel_check_;
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
  std::vector<Transfer*> pending_;     // guarded by mu_: submitted, not yet in multi_
  bool stopping_ = false;              // guarded by mu_
  std::atomic<bool> sleeping_{false};  // the loop is (about to be) in epoll_wait
};

}  // namespace dtwin::client
