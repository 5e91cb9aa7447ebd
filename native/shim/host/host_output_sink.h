// Where the host's stdout and stderr bytes go, whatever read them (host_output_posix.cc,
// host_output_win.cc): every byte to the host log file (bounded, rotating_log.h), complete lines
// to the cluster log, at most 50 per 10 s so a chatty host cannot flood LogEvent (the rest are
// counted and summarised). Used by one reader thread at a time.
#pragma once
#include <chrono>
#include <memory>
#include <string>

#include "rotating_log.h"
#include "shim/config/shim_config.h"

namespace wsfc::shim {

class HostOutputSink {
 public:
  // header is written to the log file first; an empty logFile means the cluster log only.
  HostOutputSink(const std::string& logFile, uint64_t logMaxBytes, const std::string& header, HostLog log);
  // which: 0 stdout, 1 stderr.
  void consume(int which, const char* data, size_t n);
  // The last partial lines and the count of suppressed ones, then footer to the file. After it
  // returns the log function is no longer used.
  void finish(const std::string& footer);

 private:
  void line(int which, const std::string& text);
  void flushSuppressed();

  std::unique_ptr<RotatingLog> file_;
  std::string logFile_;
  HostLog log_;
  std::string partial_[2];
  std::chrono::steady_clock::time_point windowStart_;
  unsigned windowLines_ = 0;
  unsigned suppressed_ = 0;
};

}  // namespace wsfc::shim
