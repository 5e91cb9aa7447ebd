#include "host_output_win.h"

#include "common/text.h"

namespace wsfc::shim {

namespace {
// The host's job is already terminated when stop() runs, so the pipes end within milliseconds;
// this only bounds a write end some other process inherited by accident.
constexpr int kDrainMs = 1000;
}  // namespace

HostOutput::HostOutput(HANDLE stdoutRead, HANDLE stderrRead, std::string logFile, const std::string& header, HostLog log) {
  if (!logFile.empty()) {
    file_ = CreateFileW(toUtf16(logFile).c_str(), FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                        OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (file_ == INVALID_HANDLE_VALUE) {
      file_ = nullptr;
      if (log)
        log(LOG_WARNING, "host output: cannot open the log file " + logFile + ": Win32 error " +
                             std::to_string(GetLastError()) + "; host output goes to the cluster log only");
    }
  }
  lines_.emplace(std::move(logFile), std::move(log), [this](const char* data, size_t n) { writeToFile(data, n); });
  lines_->writeFile(header);
  readers_[0].pipe = stdoutRead;
  readers_[1].pipe = stderrRead;
  for (int i = 0; i < 2; ++i) {
    if (!readers_[i].pipe) {
      readers_[i].done.store(true);
      continue;
    }
    readers_[i].worker = std::thread([this, i] { run(i); });
  }
}

HostOutput::~HostOutput() { stop(""); }

void HostOutput::run(int which) {
  Reader& r = readers_[which];
  HANDLE self = nullptr;
  DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &self, 0, FALSE, DUPLICATE_SAME_ACCESS);
  r.thread.store(self);
  char buf[4096];
  for (;;) {
    DWORD n = 0;
    if (!ReadFile(r.pipe, buf, sizeof buf, &n, nullptr)) break;  // broken pipe: every writer is gone
    if (n == 0) continue;
    std::lock_guard<std::mutex> lock(mu_);
    lines_->consume(which, buf, n);
  }
  r.done.store(true);
}

void HostOutput::stop(const std::string& footer) {
  if (stopped_) return;
  stopped_ = true;
  ULONGLONG until = GetTickCount64() + kDrainMs;
  for (Reader& r : readers_) {
    while (!r.done.load() && GetTickCount64() < until) Sleep(1);
    // Still blocked: cancel until it is out (a cancel that lands before ReadFile starts is lost;
    // a synchronous pipe read is always cancellable, as pipe_stream_win.cc relies on too).
    while (!r.done.load()) {
      if (HANDLE t = r.thread.load()) CancelSynchronousIo(t);
      Sleep(1);
    }
    if (r.worker.joinable()) r.worker.join();
    if (HANDLE t = r.thread.exchange(nullptr)) CloseHandle(t);
    if (r.pipe) CloseHandle(r.pipe);
    r.pipe = nullptr;
  }
  lines_->finish();
  lines_->writeFile(footer);
  if (file_) CloseHandle(file_);
  file_ = nullptr;
}

void HostOutput::writeToFile(const char* data, size_t n) {
  while (file_ && n > 0) {
    DWORD w = 0;
    if (!WriteFile(file_, data, static_cast<DWORD>(n), &w, nullptr) || w == 0) return;  // loses log lines, never the host
    data += w;
    n -= w;
  }
}

}  // namespace wsfc::shim
