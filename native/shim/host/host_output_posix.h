// The host process's stdout and stderr, read from two pipes on one thread and handed to
// HostOutputLines (the log file and the cluster log). Kept apart from the channel: nothing the
// host prints can look like a frame.
#pragma once
#include <atomic>
#include <optional>
#include <string>
#include <thread>

#include "host_output_lines.h"

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
  void writeToFile(const char* data, size_t n);

  int fds_[2];
  int file_ = -1;
  std::optional<HostOutputLines> lines_;
  std::atomic<bool> stop_{false};
  bool stopped_ = false;
  std::thread thread_;
};

}  // namespace wsfc::shim
