// TransferLoop: callers queue transfers and tasks under mu_; the loop thread adds transfers to
// the multi handle, hands socket readiness from epoll to curl_multi_socket_action, reports
// each transfer's end to its owner and runs tasks when they are due.
// Thread-safe: the queues under mu_, the rest touched by the loop thread only (and by the
// destructor once the loop thread has ended).
#include "client/transfer_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <utility>

#include "dtwin/client/errors.h"

namespace dtwin::client {
namespace {

// Sockets handled per epoll_wait; more ready ones are simply reported by the next call.
constexpr int kMaxEvents = 64;
// Connections the loop keeps open for reuse (libcurl's default shrinks with the number of
// transfers in flight, which would close warm connections between bursts).
constexpr long kMaxCachedConnections = 64;

}  // namespace

TransferLoop::~TransferLoop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof(one));
  thread_.join();
  FinishEverything();
  curl_multi_cleanup(multi_);
  close(epoll_fd_);
  close(wake_fd_);
}

// After the loop thread has ended: every transfer still in flight or queued ends as aborted,
// every task runs with stopping = true. What they submit meanwhile ends at once (stopping_).
void TransferLoop::FinishEverything() {
  std::vector<Transfer*> running = std::move(running_);
  for (Transfer* transfer : running) {
    curl_multi_remove_handle(multi_, transfer->easy);
    transfer->Finished(CURLE_ABORTED_BY_CALLBACK);
  }
  std::vector<Transfer*> pending;
  std::vector<TimedTask> pending_tasks;
  {
    std::lock_guard lock(mu_);
    pending.swap(pending_);
    pending_tasks.swap(pending_tasks_);
  }
  for (Transfer* transfer : pending) transfer->Finished(CURLE_ABORTED_BY_CALLBACK);
  for (TimedTask& timed : pending_tasks) timed.task(true);
  std::vector<TimedTask> tasks = std::move(tasks_);
  for (TimedTask& timed : tasks) timed.task(true);
}

void TransferLoop::Start() {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event wake{};
  wake.events = EPOLLIN;
  wake.data.fd = wake_fd_;
  if (epoll_fd_ < 0 || wake_fd_ < 0 || epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake) != 0) {
    std::string reason = std::strerror(errno);
    if (epoll_fd_ >= 0) close(epoll_fd_);
    if (wake_fd_ >= 0) close(wake_fd_);
    epoll_fd_ = wake_fd_ = -1;
    // std::call_once lets the next call try again.
    throw DigitalTwinsError(0, kConnectionError, "cannot start the HTTP event loop: " + reason, "");
  }
  multi_ = curl_multi_init();
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, OnSocket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, OnTimer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, kMaxCachedConnections);
  thread_ = std::thread([this] {
    loop_thread_id_.store(std::this_thread::get_id());
    Run();
  });
}

void TransferLoop::Submit(Transfer& transfer) {
  std::call_once(started_, [this] { Start(); });
  curl_easy_setopt(transfer.easy, CURLOPT_PRIVATE, &transfer);
  {
    std::unique_lock lock(mu_);
    if (!stopping_) {
      pending_.push_back(&transfer);
      lock.unlock();
      Wake();
      return;
    }
  }
  transfer.Finished(CURLE_ABORTED_BY_CALLBACK);
}

void TransferLoop::RunAt(Clock::time_point when, Task task) {
  std::call_once(started_, [this] { Start(); });
  {
    std::unique_lock lock(mu_);
    if (!stopping_) {
      pending_tasks_.push_back(TimedTask{when, std::move(task)});
      lock.unlock();
      Wake();
      return;
    }
  }
  task(true);
}

void TransferLoop::Wake() {
  // The loop publishes sleeping_ before its last look at the queues, so work queued after
  // that look sees it set.
  if (!sleeping_.load()) return;
  uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof(one));
}

void TransferLoop::Finish(Transfer& transfer, CURLcode result) {
  curl_multi_remove_handle(multi_, transfer.easy);
  std::erase(running_, &transfer);  // a few dozen entries at most
  transfer.Finished(result);
}

void TransferLoop::Run() {
  std::vector<Transfer*> starting;
  std::vector<TimedTask> new_tasks;
  epoll_event events[kMaxEvents];
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      starting.swap(pending_);
      new_tasks.swap(pending_tasks_);
    }
    for (TimedTask& timed : new_tasks) {
      tasks_.push_back(std::move(timed));
      std::push_heap(tasks_.begin(), tasks_.end(), std::greater<>());
    }
    new_tasks.clear();
    for (Transfer* transfer : starting) {
      if (curl_multi_add_handle(multi_, transfer->easy) == CURLM_OK) {
        running_.push_back(transfer);
      } else {
        transfer->Finished(CURLE_FAILED_INIT);
      }
    }
    starting.clear();
    RunExpiredTimers();  // adding a handle asks for an immediate timeout: that starts it
    FinishDoneTransfers();
    CancelTransfers();
    RunDueTasks();

    sleeping_.store(true);
    {
      std::lock_guard lock(mu_);
      if (!pending_.empty() || !pending_tasks_.empty() || stopping_) {
        sleeping_.store(false);
        continue;
      }
    }
    int ready = epoll_wait(epoll_fd_, events, kMaxEvents, WaitMilliseconds());
    sleeping_.store(false);
    int running = 0;
    for (int i = 0; i < ready; ++i) {
      if (events[i].data.fd == wake_fd_) {
        uint64_t count = 0;
        (void)!read(wake_fd_, &count, sizeof(count));
        continue;
      }
      int socket = events[i].data.fd;
      if (!Socket(socket).watched) {
        // An idle connection that the server closed (or wrote to): libcurl finds out when it
        // next picks the connection; until then its events would wake us in a loop.
        Watch(socket, 0);
        continue;
      }
      uint32_t flags = events[i].events;
      int action = ((flags & EPOLLIN) != 0U ? CURL_CSELECT_IN : 0) |
                   ((flags & EPOLLOUT) != 0U ? CURL_CSELECT_OUT : 0) |
                   ((flags & (EPOLLERR | EPOLLHUP)) != 0U ? CURL_CSELECT_ERR : 0);
      curl_multi_socket_action(multi_, socket, action, &running);
    }
    RunExpiredTimers();
    FinishDoneTransfers();
  }
}

// Until libcurl's next timeout, the next task or, while calls are in flight, the next look at
// their cancellation flags; -1 (no limit) when idle, since new work arrives through wake_fd_.
int TransferLoop::WaitMilliseconds() const {
  std::optional<Clock::time_point> until = timer_due_;
  if (!running_.empty()) until = std::min(until.value_or(next_cancel_check_), next_cancel_check_);
  if (!tasks_.empty()) until = std::min(until.value_or(tasks_.front().when), tasks_.front().when);
  if (!until) return -1;
  auto left = std::chrono::ceil<std::chrono::milliseconds>(*until - Clock::now());
  return static_cast<int>(std::clamp<int64_t>(left.count(), 0, std::numeric_limits<int>::max()));
}

void TransferLoop::RunExpiredTimers() {
  if (!timer_due_ || Clock::now() < *timer_due_) return;
  timer_due_.reset();  // libcurl sets the next one from within the call when it needs one
  int running = 0;
  curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
}

void TransferLoop::RunDueTasks() {
  auto now = Clock::now();
  while (!tasks_.empty() && tasks_.front().when <= now) {
    std::pop_heap(tasks_.begin(), tasks_.end(), std::greater<>());
    // Taken out first: the task may queue new tasks (through pending_tasks_, not tasks_).
    Task task = std::move(tasks_.back().task);
    tasks_.pop_back();
    task(false);
  }
}

void TransferLoop::FinishDoneTransfers() {
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
    if (message->msg != CURLMSG_DONE) continue;
    Transfer* transfer = nullptr;
    curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &transfer);
    Finish(*transfer, message->data.result);
  }
}

void TransferLoop::CancelTransfers() {
  auto now = Clock::now();
  if (now < next_cancel_check_) return;
  next_cancel_check_ = now + kCancelPollInterval;
  for (size_t i = running_.size(); i-- > 0;) {  // backwards: Finish erases entry i
    if (running_[i]->context->cancelled()) Finish(*running_[i], CURLE_ABORTED_BY_CALLBACK);
  }
}

TransferLoop::SocketState& TransferLoop::Socket(curl_socket_t socket) {
  if (static_cast<size_t>(socket) >= sockets_.size()) sockets_.resize(socket + 64);
  return sockets_[socket];
}

void TransferLoop::Adopt(CURL* easy) {
  curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, OnOpenSocket);
  curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, this);
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, OnCloseSocket);
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, this);
}

// Registers `socket` in epoll for `events` (0: removes it), with a syscall only for a change.
void TransferLoop::Watch(curl_socket_t socket, uint32_t events) {
  SocketState& state = Socket(socket);
  if (state.registered == events) return;
  epoll_event event{};
  event.data.fd = socket;
  event.events = events;
  int op = events == 0 ? EPOLL_CTL_DEL : state.registered == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
  if (epoll_ctl(epoll_fd_, op, socket, &event) != 0 && op != EPOLL_CTL_DEL) {
    // Our record was wrong (the socket closed behind our back, or is already there): the other
    // operation is right.
    epoll_ctl(epoll_fd_, op == EPOLL_CTL_ADD ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, socket, &event);
  }
  state.registered = events;
}

int TransferLoop::OnSocket(CURL* /*easy*/, curl_socket_t socket, int what, void* loop,
                           void* /*socket_data*/) {
  auto* self = static_cast<TransferLoop*>(loop);
  SocketState& state = self->Socket(socket);
  state.watched = what != CURL_POLL_REMOVE;
  if (what == CURL_POLL_REMOVE) {
    // An idle connection stays registered; Run drops it if it reports events meanwhile.
    if (!state.connection) self->Watch(socket, 0);
    return 0;
  }
  self->Watch(socket, ((what & CURL_POLL_IN) != 0 ? EPOLLIN : 0U) |
                          ((what & CURL_POLL_OUT) != 0 ? EPOLLOUT : 0U));
  return 0;
}

curl_socket_t TransferLoop::OnOpenSocket(void* loop, curlsocktype /*purpose*/,
                                         curl_sockaddr* address) {
  curl_socket_t socket = ::socket(address->family, address->socktype, address->protocol);
  if (socket != CURL_SOCKET_BAD) {
    static_cast<TransferLoop*>(loop)->Socket(socket) = SocketState{.connection = true};
  }
  return socket;
}

int TransferLoop::OnCloseSocket(void* loop, curl_socket_t socket) {
  // Closing removes it from epoll; the number may come back as another socket.
  static_cast<TransferLoop*>(loop)->Socket(socket) = SocketState{};
  return close(socket);
}

int TransferLoop::OnTimer(CURLM* /*multi*/, long timeout_ms, void* loop) {
  auto* self = static_cast<TransferLoop*>(loop);
  if (timeout_ms < 0) {
    self->timer_due_.reset();
  } else {
    self->timer_due_ = Clock::now() + std::chrono::milliseconds(timeout_ms);
  }
  return 0;
}

}  // namespace dtwin::client
