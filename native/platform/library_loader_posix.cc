#include <dlfcn.h>

#include "library_loader.h"

namespace wsfc::platform {

void* loadLibrary(const std::string& path, std::string& error) {
  void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) error = dlerror();
  return lib;
}
void* findSymbol(void* library, const char* name) { return dlsym(library, name); }
void unloadLibrary(void* library) { dlclose(library); }

std::vector<std::string> utf8Arguments(int argc, char** argv) { return std::vector<std::string>(argv, argv + argc); }

}  // namespace wsfc::platform
