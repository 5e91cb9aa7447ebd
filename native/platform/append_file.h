// A file opened for appending, the way a log is written: created if missing, readable (and, on
// Windows, renamable) by others while it is open, so an administrator can tail it and the writer
// can rotate it. Sizes are what the file holds, including what was there before it was opened.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace wsfc::platform {

class AppendFile {
 public:
  // nullptr and a one-line reason (with the OS error) if the file cannot be opened.
  static std::unique_ptr<AppendFile> open(const std::string& path, std::string& error);
  ~AppendFile();
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;

  uint64_t size() const { return size_; }
  // All of it or false (a full disk, a file removed under us); what was written counts.
  bool write(const char* data, size_t n);

 private:
  explicit AppendFile(intptr_t handle, uint64_t size) : handle_(handle), size_(size) {}
  intptr_t handle_;  // an fd on POSIX, a HANDLE on Windows
  uint64_t size_;
};

// Renames `from` to `to`, replacing `to` if it exists. False and a one-line reason otherwise
// (on Windows: someone holds `from` or `to` open without sharing delete access).
bool replaceFile(const std::string& from, const std::string& to, std::string& error);

}  // namespace wsfc::platform
