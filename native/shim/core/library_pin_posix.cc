// POSIX: nothing to pin. The standalone library joins its threads when it is unloaded
// (library_unload_posix.cc); the Node addon from its environment cleanup hook.
#include "shim_api.h"

namespace wsfc::shim {

void pinLibrary() {}

}  // namespace wsfc::shim
