#include "host_output_lines.h"

namespace wsfc::shim {

namespace {

// At most this many lines per window reach LogEvent; the rest are counted and summarised.
constexpr unsigned kLinesPerWindow = 50;
constexpr auto kWindow = std::chrono::seconds(10);
// A host printing without end must not fill the disk: the file stops growing past this per run.
constexpr uint64_t kMaxFileBytes = 64ull << 20;
// A "line" without a newline is cut here so one huge write cannot hold memory.
constexpr size_t kMaxLine = 4096;

const char* const kStreamName[2] = {"stdout", "stderr"};

}  // namespace

HostOutputLines::HostOutputLines(std::string logFile, HostLog log, FileWriter file)
    : logFile_(std::move(logFile)), log_(std::move(log)), file_(std::move(file)),
      windowStart_(std::chrono::steady_clock::now()) {}

void HostOutputLines::consume(int which, const char* data, size_t n) {
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

void HostOutputLines::finish() {
  for (int i = 0; i < 2; ++i)
    if (!partial_[i].empty()) {
      line(i, partial_[i]);
      partial_[i].clear();
    }
  flushSuppressed();
}

void HostOutputLines::line(int which, const std::string& text) {
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

void HostOutputLines::flushSuppressed() {
  if (!suppressed_ || !log_) return;
  log_(LOG_WARNING, "host output: " + std::to_string(suppressed_) + " more line(s) not sent to the cluster log" +
                        (logFile_.empty() ? std::string() : " (see " + logFile_ + ")"));
  suppressed_ = 0;
}

void HostOutputLines::writeFile(const char* data, size_t n) {
  if (!file_ || fileFull_ || n == 0) return;
  if (fileBytes_ + n > kMaxFileBytes) {
    fileFull_ = true;
    static const char note[] = "\n[wsfc-resource: host output exceeded 64 MiB; the rest of this run is not logged]\n";
    file_(note, sizeof note - 1);
    return;
  }
  fileBytes_ += n;
  file_(data, n);
}

}  // namespace wsfc::shim
