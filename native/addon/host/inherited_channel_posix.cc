#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "channel/fd_stream_posix.h"
#include "inherited_channel.h"

namespace wsfc::addon {

std::unique_ptr<channel::ByteStream> adoptInheritedChannel(const std::string& text, std::string& error) {
  char* end = nullptr;
  long long value = text.empty() ? -1 : std::strtoll(text.c_str(), &end, 10);
  // 0-2 are stdio; the launcher never puts the channel there.
  if (!end || *end || value < 3 || value > INT_MAX) {
    error = "WSFC_CHANNEL_FD '" + text + "' is not a channel fd";
    return nullptr;
  }
  int fd = static_cast<int>(value);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    error = "channel fd " + std::to_string(fd) + " is not open: " + std::strerror(errno);
    return nullptr;
  }
  if (!S_ISSOCK(st.st_mode)) {
    error = "channel fd " + std::to_string(fd) + " is not a socket";
    return nullptr;
  }
  // exec'd children of the host (a handler's child_process.spawn) must not inherit it: libuv
  // closes only what is marked close-on-exec.
  if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
    error = std::string("cannot mark the channel close-on-exec: ") + std::strerror(errno);
    return nullptr;
  }
  return channel::makeFdStream(fd);
}

}  // namespace wsfc::addon
