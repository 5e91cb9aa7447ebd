// A fixed pool of "RHS threads": the mock monitor makes every entry-point call from one of these,
// never from the JavaScript thread, exactly as RHS calls a DLL from its own threads.
#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace wsfc::monitor {

class WorkQueue {
 public:
  explicit WorkQueue(size_t threads);
  ~WorkQueue();
  // False (and the job dropped) once stop() has joined every thread.
  bool post(std::function<void()> job);
  // Runs the queued jobs (and what they post) to the end, then joins the threads.
  void stop();

 private:
  void run();
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  size_t live_ = 0;  // threads that have not returned
  std::vector<std::thread> threads_;
};

}  // namespace wsfc::monitor
