#include "host_output_posix.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace wsfc::shim {

namespace {
constexpr int kPollMs = 100;
}  // namespace

HostOutput::HostOutput(int stdoutFd, int stderrFd, std::string logFile, const std::string& header, HostLog log)
    : fds_{stdoutFd, stderrFd} {
  for (int fd : fds_)
    if (fd >= 0) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  if (!logFile.empty()) {
    file_ = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (file_ < 0 && log)
      log(LOG_WARNING, "host output: cannot open the log file " + logFile + ": " + std::to_string(errno) +
                           "; host output goes to the cluster log only");
  }
  lines_.emplace(std::move(logFile), std::move(log), [this](const char* data, size_t n) { writeToFile(data, n); });
  lines_->writeFile(header);
  thread_ = std::thread([this] { run(); });
}

HostOutput::~HostOutput() { stop(""); }

void HostOutput::stop(const std::string& footer) {
  if (stopped_) return;
  stopped_ = true;
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  drainNow();
  lines_->finish();
  lines_->writeFile(footer);
  for (int& fd : fds_)
    if (fd >= 0) {
      ::close(fd);
      fd = -1;
    }
  if (file_ >= 0) ::close(file_);
  file_ = -1;
}

void HostOutput::run() {
  while (!stop_.load()) {
    pollfd p[2];
    nfds_t n = 0;
    int which[2];
    for (int i = 0; i < 2; ++i)
      if (fds_[i] >= 0) {
        p[n] = pollfd{fds_[i], POLLIN, 0};
        which[n++] = i;
      }
    if (n == 0) return;  // both pipes at end of file: the host and its children are gone
    int r = ::poll(p, n, kPollMs);
    if (r <= 0) continue;
    for (nfds_t k = 0; k < n; ++k)
      if (p[k].revents) readOnce(which[k]);
  }
}

// Whatever the pipes hold right now, without waiting: called after the host was reaped.
void HostOutput::drainNow() {
  for (int i = 0; i < 2; ++i)
    for (int guard = 0; guard < 1024 && fds_[i] >= 0 && readOnce(i); ++guard) {
    }
}

// Returns true if bytes were read (more may follow).
bool HostOutput::readOnce(int which) {
  char buf[4096];
  ssize_t n = ::read(fds_[which], buf, sizeof buf);
  if (n > 0) {
    lines_->consume(which, buf, static_cast<size_t>(n));
    return true;
  }
  if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) return false;
  ::close(fds_[which]);  // end of file or error: this stream is done
  fds_[which] = -1;
  return false;
}

void HostOutput::writeToFile(const char* data, size_t n) {
  while (file_ >= 0 && n > 0) {
    ssize_t w = ::write(file_, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;  // a full disk loses log lines, never the host
    data += w;
    n -= static_cast<size_t>(w);
  }
}

}  // namespace wsfc::shim
