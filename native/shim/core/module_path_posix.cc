#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>

#include "module_path.h"

namespace wsfc::shim {

std::string thisLibraryPath() {
  Dl_info info{};
  // Any address inside this library identifies it; this function's own will do.
  if (!dladdr(reinterpret_cast<void*>(&thisLibraryPath), &info) || !info.dli_fname) return {};
  // dladdr reports the name dlopen was given, possibly relative to a working directory that has
  // changed since; the log line should name the file unambiguously.
  char resolved[PATH_MAX];
  return realpath(info.dli_fname, resolved) ? std::string(resolved) : std::string(info.dli_fname);
}

}  // namespace wsfc::shim

namespace wsfc::shim {

std::FILE* openUtf8(const std::string& path, const char* mode) { return std::fopen(path.c_str(), mode); }

}  // namespace wsfc::shim
