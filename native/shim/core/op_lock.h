// The per-resource operation lock: a mutex whose acquisition can give up at a deadline.
// Not std::timed_mutex: libstdc++ implements its try_lock_until with pthread_mutex_clocklock,
// which the ThreadSanitizer runtime of GCC 12 does not intercept (every unlock is then reported
// as "unlock of an unlocked mutex"). A mutex and a condition variable do the same job portably
// and visibly to the sanitizers.
#pragma once
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace wsfc::shim {

class OpLock {
 public:
  template <class Clock, class Duration>
  bool try_lock_until(const std::chrono::time_point<Clock, Duration>& deadline) {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_until(lock, deadline, [&] { return !held_; })) return false;
    held_ = true;
    return true;
  }
  void lock() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !held_; });
    held_ = true;
  }
  bool try_lock() {
    std::lock_guard<std::mutex> lock(mu_);
    if (held_) return false;
    held_ = true;
    return true;
  }
  void unlock() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      held_ = false;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool held_ = false;
};

}  // namespace wsfc::shim
