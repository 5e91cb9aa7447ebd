#include "host_output.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace wsfc::shim {

namespace {
constexpr int kPollMs = 100;
}  // namespace

HostOutput::HostOutput(OutputPipe stdoutPipe, OutputPipe stderrPipe, const std::string& logFile, uint64_t logMaxBytes,
                       const std::string& header, HostLog log)
    : pipes_{stdoutPipe, stderrPipe}, sink_(logFile, logMaxBytes, header, std::move(log)) {
  for (int fd : pipes_)
    if (fd >= 0) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  thread_ = std::thread([this] { run(); });
}

void HostOutput::run() {
  while (!stop_.load()) {
    pollfd p[2];
    nfds_t n = 0;
    int which[2];
    for (int i = 0; i < 2; ++i)
      if (pipes_[i] >= 0) {
        p[n] = pollfd{pipes_[i], POLLIN, 0};
        which[n++] = i;
      }
    if (n == 0) return;  // both pipes at end of file: the host and its children are gone
    int r = ::poll(p, n, kPollMs);
    if (r <= 0) continue;
    for (nfds_t k = 0; k < n; ++k)
      if (p[k].revents) readOnce(which[k]);
  }
}

bool HostOutput::readOnce(int which) {
  char buf[4096];
  ssize_t n = ::read(pipes_[which], buf, sizeof buf);
  if (n > 0) {
    sink_.consume(which, buf, static_cast<size_t>(n));
    return true;
  }
  if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) return false;
  closePipe(which);  // end of file or error: this stream is done
  return false;
}

void HostOutput::closePipe(int which) {
  if (pipes_[which] == kClosedPipe) return;
  ::close(pipes_[which]);
  pipes_[which] = kClosedPipe;
}

}  // namespace wsfc::shim
