// The host log file, bounded: when writing would take it past maxBytes, the file becomes
// `<file>.1` (replacing the previous one) and a new file starts, so a host that prints without
// end costs at most twice maxBytes of disk. A file already at the bound when the shim opens it
// (the output of earlier runs) is rotated first. If a rotation fails (on Windows: another
// program holds the file without sharing delete access), writing goes on up to twice maxBytes
// and then stops with a note: the disk is never filled and the host never waits.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "platform/append_file.h"
#include "shim/config/shim_config.h"

namespace wsfc::shim {

class RotatingLog {
 public:
  // log receives warnings about the file itself (cannot open, cannot rotate).
  RotatingLog(std::string path, uint64_t maxBytes, HostLog log);
  void write(const char* data, size_t n);
  const std::string& path() const { return path_; }

 private:
  void rotate();

  const std::string path_;
  const uint64_t maxBytes_;
  HostLog log_;
  std::unique_ptr<platform::AppendFile> file_;
  bool full_ = false;  // past twice the bound after a failed rotation: nothing more is written
};

}  // namespace wsfc::shim
