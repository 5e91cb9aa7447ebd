#include "host_output_sink.h"

namespace wsfc::shim {

namespace {

constexpr unsigned kLinesPerWindow = 50;
constexpr auto kWindow = std::chrono::seconds(10);
// A "line" without a newline is cut here so one huge write cannot hold memory.
constexpr size_t kMaxLine = 4096;

const char* const kStreamName[2] = {"stdout", "stderr"};

}  // namespace

HostOutputSink::HostOutputSink(const std::string& logFile, uint64_t logMaxBytes, const std::string& header, HostLog log)
    : logFile_(logFile), log_(std::move(log)), windowStart_(std::chrono::steady_clock::now()) {
  if (!logFile.empty()) {
    file_ = std::make_unique<RotatingLog>(logFile, logMaxBytes, log_);
    file_->write(header.data(), header.size());
  }
}

void HostOutputSink::consume(int which, const char* data, size_t n) {
  if (file_) file_->write(data, n);
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

void HostOutputSink::finish(const std::string& footer) {
  for (int i = 0; i < 2; ++i)
    if (!partial_[i].empty()) line(i, partial_[i]);
  partial_[0].clear();
  partial_[1].clear();
  flushSuppressed();
  if (file_) file_->write(footer.data(), footer.size());
  file_.reset();
  log_ = nullptr;
}

void HostOutputSink::line(int which, const std::string& text) {
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

void HostOutputSink::flushSuppressed() {
  if (!suppressed_ || !log_) return;
  log_(LOG_WARNING, "host output: " + std::to_string(suppressed_) + " more line(s) not sent to the cluster log" +
                        (logFile_.empty() ? std::string() : " (see " + logFile_ + ")"));
  suppressed_ = 0;
}

}  // namespace wsfc::shim
