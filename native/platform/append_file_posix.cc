#include "append_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace wsfc::platform {

std::unique_ptr<AppendFile> AppendFile::open(const std::string& path, std::string& error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) {
    error = "cannot open " + path + ": " + std::strerror(errno);
    return nullptr;
  }
  struct stat st {};
  uint64_t size = ::fstat(fd, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
  return std::unique_ptr<AppendFile>(new AppendFile(fd, size));
}

AppendFile::~AppendFile() { ::close(static_cast<int>(handle_)); }

bool AppendFile::write(const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(static_cast<int>(handle_), data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    size_ += static_cast<uint64_t>(w);
    data += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool replaceFile(const std::string& from, const std::string& to, std::string& error) {
  if (std::rename(from.c_str(), to.c_str()) == 0) return true;
  error = "cannot rename " + from + " to " + to + ": " + std::strerror(errno);
  return false;
}

}  // namespace wsfc::platform
