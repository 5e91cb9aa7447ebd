// What the shim does with the host's stdout and stderr bytes, on every OS: all of them go to the
// host log file (capped, so a chatty host cannot fill the disk), and complete lines go to the
// cluster log (rate-limited, so it cannot flood LogEvent either). The platform readers
// (host_output_posix.cc, host_output_win.cc) only move bytes from the pipes to consume().
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "shim/config/shim_config.h"

namespace wsfc::shim {

class HostOutputLines {
 public:
  // Appends bytes to the log file; a failed write loses log lines, never the host.
  using FileWriter = std::function<void(const char* data, size_t n)>;

  HostOutputLines(std::string logFile, HostLog log, FileWriter file);

  // which: 0 stdout, 1 stderr.
  void consume(int which, const char* data, size_t n);
  // The unfinished lines and the count of suppressed ones, once the pipes are drained.
  void finish();
  // Straight to the file (the header and footer lines), within the cap.
  void writeFile(const char* data, size_t n);
  void writeFile(const std::string& text) { writeFile(text.data(), text.size()); }

  const std::string& logFile() const { return logFile_; }
  const HostLog& log() const { return log_; }

 private:
  void line(int which, const std::string& text);
  void flushSuppressed();

  const std::string logFile_;
  HostLog log_;
  FileWriter file_;
  std::string partial_[2];
  std::chrono::steady_clock::time_point windowStart_;
  unsigned windowLines_ = 0;
  unsigned suppressed_ = 0;
  uint64_t fileBytes_ = 0;
  bool fileFull_ = false;
};

}  // namespace wsfc::shim
