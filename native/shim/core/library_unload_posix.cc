// Standalone library only (libwsfcres.so): the POSIX counterpart of DllMain(DLL_PROCESS_DETACH).
// dlclose() runs it, and so does exit() for a library still loaded: every type's threads are
// joined and its host killed before the code they run goes away. (The Node addon, which links
// the shim too, does this from its environment cleanup hook instead.)
#include "shim_api.h"

namespace {

__attribute__((destructor)) void unloadLibrary() {
  try {
    wsfc::shim::releaseAllTypes();
  } catch (...) {
  }
}

}  // namespace
