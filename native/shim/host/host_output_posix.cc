#include "host_output_posix.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace wsfc::shim {

namespace {

// At most this many lines per window reach LogEvent; the rest are counted and summarised.
constexpr unsigned kLinesPerWindow = 50;
constexpr auto kWindow = std::chrono::seconds(10);
// A host printing without end must not fill the disk: the file stops growing past this per run.
constexpr uint64_t kMaxFileBytes = 64ull << 20;
// A "line" without a newline is cut here so one huge write cannot hold memory.
constexpr size_t kMaxLine = 4096;
constexpr int kPollMs = 100;

const char* const kStreamName[2] = {"stdout", "stderr"};

}  // namespace

HostOutput::HostOutput(int stdoutFd, int stderrFd, std::string logFile, const std::string& header, HostLog log)
    : fds_{stdoutFd, stderrFd}, logFile_(std::move(logFile)), log_(std::move(log)),
      windowStart_(std::chrono::steady_clock::now()) {
  for (int fd : fds_)
    if (fd >= 0) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  if (!logFile_.empty()) {
    file_ = ::open(logFile_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (file_ < 0 && log_)
      log_(LOG_WARNING, "host output: cannot open the log file " + logFile_ + ": " + std::to_string(errno) +
                            "; host output goes to the cluster log only");
  }
  writeFile(header.data(), header.size());
  thread_ = std::thread([this] { run(); });
}

HostOutput::~HostOutput() { stop(""); }

void HostOutput::stop(const std::string& footer) {
  if (stopped_) return;
  stopped_ = true;
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  drainNow();
  for (int i = 0; i < 2; ++i)
    if (!partial_[i].empty()) line(i, partial_[i]);
  flushSuppressed();
  writeFile(footer.data(), footer.size());
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
    consume(which, buf, static_cast<size_t>(n));
    return true;
  }
  if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) return false;
  ::close(fds_[which]);  // end of file or error: this stream is done
  fds_[which] = -1;
  return false;
}

void HostOutput::consume(int which, const char* data, size_t n) {
  writeFile(data, n);
  std::string& part = partial_[which];
  for (size_t i = 0; i < n; ++i) {
    char c = data[i];
    if (c == '\n') {
      line(which, part);
      part.clear();
    } else if (c != '\r') {
      part.push_back(c);
      if (part.size() >= kMaxLine) {
        line(which, part);
        part.clear();
      }
    }
  }
}

void HostOutput::line(int which, const std::string& text) {
  if (!log_ || text.find_first_not_of(" \t") == std::string::npos) return;
  auto now = std::chrono::steady_clock::now();
  if (now - windowStart_ >= kWindow) {
    flushSuppressed();
    windowStart_ = now;
    windowLines_ = 0;
  }
  if (windowLines_ >= kLinesPerWindow) {
    ++suppressed_;
    return;
  }
  ++windowLines_;
  log_(which == 1 ? LOG_WARNING : LOG_INFORMATION, std::string("host ") + kStreamName[which] + ": " + text);
}

void HostOutput::flushSuppressed() {
  if (!suppressed_ || !log_) return;
  log_(LOG_WARNING, "host output: " + std::to_string(suppressed_) + " more line(s) not sent to the cluster log" +
                        (logFile_.empty() ? std::string() : " (see " + logFile_ + ")"));
  suppressed_ = 0;
}

void HostOutput::writeFile(const char* data, size_t n) {
  if (file_ < 0 || fileFull_ || n == 0) return;
  if (fileBytes_ + n > kMaxFileBytes) {
    fileFull_ = true;
    static const char note[] = "\n[wsfc-resource: host output exceeded 64 MiB; the rest of this run is not logged]\n";
    (void)!::write(file_, note, sizeof note - 1);
    return;
  }
  fileBytes_ += n;
  while (n > 0) {
    ssize_t w = ::write(file_, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;  // a full disk loses log lines, never the host
    data += w;
    n -= static_cast<size_t>(w);
  }
}

}  // namespace wsfc::shim
