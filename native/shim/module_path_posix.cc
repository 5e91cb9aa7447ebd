#include <dlfcn.h>

#include "module_path.h"

namespace wsfc::shim {

std::string thisLibraryPath() {
  Dl_info info{};
  // Any address inside this library identifies it; this function's own will do.
  if (dladdr(reinterpret_cast<void*>(&thisLibraryPath), &info) && info.dli_fname) return info.dli_fname;
  return {};
}

}  // namespace wsfc::shim
