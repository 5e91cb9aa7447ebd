// The host process's stdout and stderr, read from two pipes on one thread: every byte goes to the
// host log file, and complete lines go to the cluster log (rate-limited, so a chatty host cannot
// flood LogEvent). Kept apart from the channel: nothing the host prints can look like a frame.
#pragma once
#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "shim/config/shim_config.h"

namespace wsfc::shim {

class HostOutput {
 public:
  // Takes ownership of both pipe read ends. header is written to the log file first.
  HostOutput(int stdoutFd, int stderrFd, std::string logFile, const std::string& header, HostLog log);
  ~HostOutput();
  HostOutput(const HostOutput&) = delete;
  HostOutput& operator=(const HostOutput&) = delete;

  // Reads what the (dead) host left in the pipes, writes footer to the file, then joins the
  // thread. After it returns the log function is no longer used. Idempotent.
  void stop(const std::string& footer);

 private:
  void run();
  void drainNow();
  bool readOnce(int which);
  void consume(int which, const char* data, size_t n);
  void line(int which, const std::string& text);
  void flushSuppressed();
  void writeFile(const char* data, size_t n);

  int fds_[2];
  int file_ = -1;
  const std::string logFile_;
  HostLog log_;
  std::string partial_[2];
  std::chrono::steady_clock::time_point windowStart_;
  unsigned windowLines_ = 0;
  unsigned suppressed_ = 0;
  uint64_t fileBytes_ = 0;
  bool fileFull_ = false;
  std::atomic<bool> stop_{false};
  bool stopped_ = false;
  std::thread thread_;
};

}  // namespace wsfc::shim
