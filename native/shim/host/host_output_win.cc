#include "common/resapi_abi.h"

#include "host_output.h"

namespace wsfc::shim {

namespace {
// Anonymous pipes have no overlapped I/O and a blocking ReadFile could not be stopped (a child
// of the host may keep the write end open), so the reader looks with PeekNamedPipe and reads
// only what is there, sleeping this long when both pipes are quiet.
constexpr DWORD kPollMs = 50;
}  // namespace

HostOutput::HostOutput(OutputPipe stdoutPipe, OutputPipe stderrPipe, const std::string& logFile, uint64_t logMaxBytes,
                       const std::string& header, HostLog log)
    : pipes_{stdoutPipe, stderrPipe}, sink_(logFile, logMaxBytes, header, std::move(log)) {
  thread_ = std::thread([this] { run(); });
}

void HostOutput::run() {
  while (!stop_.load()) {
    bool any = false, open = false;
    for (int i = 0; i < 2; ++i) {
      if (pipes_[i] == kClosedPipe) continue;
      open = true;
      any = readOnce(i) || any;
    }
    if (!open) return;  // both pipes broken: the host and its children are gone
    if (!any) Sleep(kPollMs);
  }
}

bool HostOutput::readOnce(int which) {
  DWORD available = 0;
  if (!PeekNamedPipe(static_cast<HANDLE>(pipes_[which]), nullptr, 0, nullptr, &available, nullptr)) {
    closePipe(which);  // ERROR_BROKEN_PIPE: every writer is gone; anything else: this stream is done
    return false;
  }
  if (available == 0) return false;
  char buf[4096];
  DWORD n = 0;
  // At most what PeekNamedPipe saw, so this ReadFile returns at once.
  DWORD want = available < sizeof buf ? available : static_cast<DWORD>(sizeof buf);
  if (!ReadFile(static_cast<HANDLE>(pipes_[which]), buf, want, &n, nullptr) || n == 0) {
    closePipe(which);
    return false;
  }
  sink_.consume(which, buf, n);
  return true;
}

void HostOutput::closePipe(int which) {
  if (pipes_[which] == kClosedPipe) return;
  CloseHandle(static_cast<HANDLE>(pipes_[which]));
  pipes_[which] = kClosedPipe;
}

}  // namespace wsfc::shim
