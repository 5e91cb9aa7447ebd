// Anonymous pipes have no overlapped I/O. Reads and writes therefore block in ReadFile/WriteFile
// on the connection's own reader and writer threads (never an RHS thread), and close() unblocks
// them with CancelSynchronousIo — retried until they are out, because a cancel that lands just
// before the call starts is lost. A peer that dies closes its ends: ReadFile fails with
// ERROR_BROKEN_PIPE, which is end of stream.
#include "pipe_stream_win.h"

#include <atomic>

namespace wsfc::channel {

namespace {

// A thread that may be blocked in a synchronous pipe call, and a handle to cancel it with.
class Blocker {
 public:
  ~Blocker() {
    if (thread_) CloseHandle(thread_);
  }
  void enter() {
    if (!thread_)
      DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &thread_, 0, FALSE,
                      DUPLICATE_SAME_ACCESS);
    inside_.store(true);
  }
  void leave() { inside_.store(false); }
  // Bounded: at most ~2 s even with the default 15.6 ms timer resolution.
  void cancel() {
    for (int i = 0; i < 128 && inside_.load(); ++i) {
      if (thread_) CancelSynchronousIo(thread_);
      Sleep(1);
    }
  }

 private:
  HANDLE thread_ = nullptr;
  std::atomic<bool> inside_{false};
};

class PipeStream final : public ByteStream {
 public:
  PipeStream(HANDLE r, HANDLE w) : read_(r), write_(w) {}
  ~PipeStream() override {
    close();
    CloseHandle(read_);
    CloseHandle(write_);
  }

  WriteResult write(const uint8_t* data, size_t size) override {
    writer_.enter();
    WriteResult result = WriteResult::Written;
    while (result == WriteResult::Written && size > 0) {
      DWORD n = 0;
      if (closed_.load()) {
        result = WriteResult::Failed;
      } else if (!WriteFile(write_, data, static_cast<DWORD>(size > 65536 ? 65536 : size), &n, nullptr)) {
        // The reading end closed: ERROR_NO_DATA ("the pipe is being closed") or ERROR_BROKEN_PIPE.
        DWORD e = GetLastError();
        result = e == ERROR_NO_DATA || e == ERROR_BROKEN_PIPE ? WriteResult::PeerClosed : WriteResult::Failed;
      }
      data += n;
      size -= n;
    }
    writer_.leave();
    return result;
  }

  long read(uint8_t* data, size_t size, uint32_t) override {
    reader_.enter();
    DWORD n = 0;
    BOOL ok = !closed_.load() && ReadFile(read_, data, static_cast<DWORD>(size), &n, nullptr);
    reader_.leave();
    if (!ok) return -1;  // broken pipe (peer gone), cancelled by close(), or closed
    return static_cast<long>(n);
  }

  void close() override {
    closed_.store(true);
    reader_.cancel();
    writer_.cancel();
  }

 private:
  HANDLE read_;
  HANDLE write_;
  std::atomic<bool> closed_{false};
  Blocker reader_, writer_;
};

}  // namespace

std::unique_ptr<ByteStream> makePipeStream(HANDLE readEnd, HANDLE writeEnd) {
  if (!readEnd || readEnd == INVALID_HANDLE_VALUE || !writeEnd || writeEnd == INVALID_HANDLE_VALUE) return nullptr;
  return std::make_unique<PipeStream>(readEnd, writeEnd);
}

}  // namespace wsfc::channel
