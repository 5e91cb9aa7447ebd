#include "rotating_log.h"

namespace wsfc::shim {

RotatingLog::RotatingLog(std::string path, uint64_t maxBytes, HostLog log)
    : path_(std::move(path)), maxBytes_(maxBytes), log_(std::move(log)) {
  std::string error;
  file_ = platform::AppendFile::open(path_, error);
  if (!file_) {
    if (log_) log_(LOG_WARNING, "host output: " + error + "; host output goes to the cluster log only");
    return;
  }
  if (file_->size() >= maxBytes_) rotate();
}

void RotatingLog::rotate() {
  file_.reset();  // Windows renames an open file only if every handle shares delete access: ours is closed first
  std::string error;
  bool renamed = platform::replaceFile(path_, path_ + ".1", error);
  if (!renamed && log_) log_(LOG_WARNING, "host output: " + error + "; the log file is not rotated this time");
  std::string openError;
  file_ = platform::AppendFile::open(path_, openError);
  if (!file_ && log_) log_(LOG_WARNING, "host output: " + openError + "; host output goes to the cluster log only");
}

void RotatingLog::write(const char* data, size_t n) {
  if (!file_ || full_ || n == 0) return;
  if (file_->size() + n > maxBytes_ && file_->size() > 0) {
    rotate();
    if (!file_) return;
  }
  // After a failed rotation the file keeps growing, up to twice the bound.
  if (file_->size() + n > 2 * maxBytes_) {
    full_ = true;
    static const char note[] = "\n[wsfc-resource: the host log could not be rotated and reached twice its size bound; "
                               "the rest of this run is not logged here]\n";
    (void)file_->write(note, sizeof note - 1);
    return;
  }
  (void)file_->write(data, n);  // a full disk loses log lines, never the host
}

}  // namespace wsfc::shim
