// The host process's stdout and stderr on Windows: two anonymous pipes, each read by its own
// thread (anonymous pipes have no overlapped I/O, so a read blocks in ReadFile; never on an RHS
// thread), handed to HostOutputLines (the log file and the cluster log). Kept apart from the
// channel: nothing the host prints can look like a frame.
#pragma once
#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/resapi_abi.h"
#include "host_output_lines.h"

namespace wsfc::shim {

class HostOutput {
 public:
  // Takes ownership of both pipe read ends. header is written to the log file first.
  HostOutput(HANDLE stdoutRead, HANDLE stderrRead, std::string logFile, const std::string& header, HostLog log);
  ~HostOutput();
  HostOutput(const HostOutput&) = delete;
  HostOutput& operator=(const HostOutput&) = delete;

  // Once the host's job is terminated: reads what it left in the pipes (to their end, which comes
  // when the last process holding a write end is gone; cancelled after a deadline), writes footer
  // to the file, joins the threads. After it returns the log function is no longer used. Idempotent.
  void stop(const std::string& footer);

 private:
  struct Reader {
    HANDLE pipe = nullptr;
    std::atomic<HANDLE> thread{nullptr};  // the reader's own, for CancelSynchronousIo
    std::atomic<bool> done{false};
    std::thread worker;
  };
  void run(int which);
  void writeToFile(const char* data, size_t n);

  Reader readers_[2];
  HANDLE file_ = nullptr;
  std::mutex mu_;  // lines_ is fed by both readers
  std::optional<HostOutputLines> lines_;
  bool stopped_ = false;
};

}  // namespace wsfc::shim
