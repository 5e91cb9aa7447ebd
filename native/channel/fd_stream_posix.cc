#include "fd_stream_posix.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>

namespace wsfc::channel {

namespace {

// A peer that does not drain its end for this long is treated as gone. The heartbeat timeout
// is shorter, so a live but stuck host is killed for that reason first.
constexpr auto kWriteWait = std::chrono::seconds(5);

// A write to a socket whose peer is gone raises SIGPIPE, which would kill RHS (or mock-rhs):
// ask the kernel not to.
#if defined(MSG_NOSIGNAL)
constexpr int kSendFlags = MSG_NOSIGNAL | MSG_DONTWAIT;
#else
constexpr int kSendFlags = MSG_DONTWAIT;  // macOS: SO_NOSIGPIPE is set on the socket instead
#endif

class FdStream final : public ByteStream {
 public:
  explicit FdStream(int fd) : fd_(fd) {
#if !defined(MSG_NOSIGNAL) && defined(SO_NOSIGPIPE)
    int on = 1;
    setsockopt(fd_, SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof on);
#endif
  }
  ~FdStream() override {
    close();
    ::close(fd_);
  }

  WriteResult write(const uint8_t* data, size_t size) override {
    auto until = std::chrono::steady_clock::now() + kWriteWait;
    while (size > 0) {
      if (closed_.load()) return WriteResult::Failed;
      ssize_t n = ::send(fd_, data, size, kSendFlags);
      if (n > 0) {
        data += n;
        size -= static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        if (left.count() <= 0) return WriteResult::TimedOut;
        pollfd p{fd_, POLLOUT, 0};
        // Short slices so a close() from another thread is noticed promptly.
        int r = ::poll(&p, 1, static_cast<int>(left.count() < 100 ? left.count() : 100));
        if (r < 0 && errno != EINTR) return WriteResult::Failed;
        if (r > 0 && (p.revents & (POLLERR | POLLHUP))) return WriteResult::PeerClosed;
        if (r > 0 && (p.revents & POLLNVAL)) return WriteResult::Failed;
        continue;
      }
      return failure();
    }
    return WriteResult::Written;
  }

  long tryWrite(const uint8_t* data, size_t size) override {
    if (closed_.load()) return -1;
    for (;;) {
      ssize_t n = ::send(fd_, data, size, kSendFlags);
      if (n >= 0) return static_cast<long>(n);
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
      return failure() == WriteResult::PeerClosed ? kPeerClosed : -1;
    }
  }

  // After a failed send: the peer's end is closed (the socket says so in errno) or not.
  static WriteResult failure() {
    return errno == EPIPE || errno == ECONNRESET ? WriteResult::PeerClosed : WriteResult::Failed;
  }

  long read(uint8_t* data, size_t size, uint32_t timeoutMs) override {
    if (closed_.load()) return -1;
    pollfd p{fd_, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(timeoutMs));
    if (r == 0) return 0;
    if (r < 0) return errno == EINTR ? 0 : -1;
    if (p.revents & POLLNVAL) return -1;
    for (;;) {
      ssize_t n = ::recv(fd_, data, size, MSG_DONTWAIT);
      if (n > 0) return static_cast<long>(n);
      if (n == 0) return -1;  // orderly shutdown by the peer, or our own close()
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return closed_.load() ? -1 : 0;
      return -1;
    }
  }

  void close() override {
    if (closed_.exchange(true)) return;
    ::shutdown(fd_, SHUT_RDWR);
  }

 private:
  const int fd_;
  std::atomic<bool> closed_{false};
};

}  // namespace

std::unique_ptr<ByteStream> makeFdStream(int fd) {
  if (fd < 0) return nullptr;
  return std::make_unique<FdStream>(fd);
}

}  // namespace wsfc::channel
