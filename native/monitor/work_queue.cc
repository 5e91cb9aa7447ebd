#include "work_queue.h"

namespace wsfc::monitor {

WorkQueue::WorkQueue(size_t threads) {
  live_ = threads;
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

WorkQueue::~WorkQueue() { stop(); }

bool WorkQueue::post(std::function<void()> job) {
  std::lock_guard<std::mutex> lock(mu_);
  // While stopping, a job still runs if a thread is left to run it: a job's follow-up (the next
  // queued call of a resource) is not lost because stop() began.
  if (stopping_ && live_ == 0) return false;
  jobs_.push_back(std::move(job));
  cv_.notify_one();
  return true;
}

void WorkQueue::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void WorkQueue::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) {
        --live_;
        return;
      }
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    try {
      job();
    } catch (...) {
      // A job's own code reports its errors; nothing may escape a pool thread.
    }
  }
}

}  // namespace wsfc::monitor
