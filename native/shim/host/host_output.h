// The host process's stdout and stderr, read from two pipes on a thread of the shim's (never a
// caller's) and handed to a HostOutputSink: the bounded log file and the rate-limited cluster
// log. Kept apart from the channel: nothing the host prints can look like a frame. One reader
// per platform: poll(2) on POSIX (host_output_posix.cc), PeekNamedPipe on Windows, whose
// anonymous pipes have no overlapped I/O (host_output_win.cc).
#pragma once
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "host_output_sink.h"

namespace wsfc::shim {

#ifdef _WIN32
using OutputPipe = void*;  // the read end of an anonymous pipe (HANDLE)
constexpr OutputPipe kClosedPipe = nullptr;
#else
using OutputPipe = int;
constexpr OutputPipe kClosedPipe = -1;
#endif

class HostOutput {
 public:
  // Takes ownership of both pipe read ends.
  HostOutput(OutputPipe stdoutPipe, OutputPipe stderrPipe, const std::string& logFile, uint64_t logMaxBytes,
             const std::string& header, HostLog log);
  ~HostOutput();
  HostOutput(const HostOutput&) = delete;
  HostOutput& operator=(const HostOutput&) = delete;

  // Reads what the (dead) host left in the pipes, writes footer to the file, then joins the
  // thread. After it returns the log function is no longer used. Idempotent.
  void stop(const std::string& footer);

 private:
  // host_output.cc
  void drainNow();
  // Per platform
  void run();
  bool readOnce(int which);  // true if bytes were read (more may follow)
  void closePipe(int which);

  OutputPipe pipes_[2];
  HostOutputSink sink_;
  std::atomic<bool> stop_{false};
  bool stopped_ = false;
  std::thread thread_;
};

}  // namespace wsfc::shim
