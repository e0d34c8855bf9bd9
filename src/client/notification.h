// A one-shot wake-up between two threads: Wait blocks until Notify has been called. The
// synchronous calls wait with it for the I/O thread to finish their asynchronous work.
#pragma once

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>

namespace dtwin::client {

class Notification {
 public:
  void Wait() {
    while (done_.load(std::memory_order_acquire) == 0) {
      syscall(SYS_futex, &done_, FUTEX_WAIT_PRIVATE, 0, nullptr, nullptr, 0);
    }
  }

  // Everything the notifying thread wrote before is visible after Wait returns. A bare futex
  // rather than a condition variable: the waiter is woken without a mutex it would then wait
  // for. The waiter may return (ending this object) as soon as it sees done_ == 1, so the wake
  // can reach a word that is gone; FUTEX_WAKE on such an address wakes nobody or causes a
  // spurious wake-up, which every futex waiter tolerates (glibc's own unlock works this way).
  void Notify() {
    done_.store(1, std::memory_order_release);
    syscall(SYS_futex, &done_, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
  }

 private:
  std::atomic<uint32_t> done_{0};
};

}  // namespace dtwin::client
