// Windows: the DLL's own threads (host link, channel) run until the process exits, and RHS may
// FreeLibrary the DLL when it no longer needs a type. Unmapping code that threads still run would
// crash RHS, and joining threads in DllMain deadlocks on the loader lock, so the first started
// type takes a reference on the module that is never released.
#include "shim_api.h"

namespace wsfc::shim {

void pinLibrary() {
  static HMODULE pinned = nullptr;
  if (pinned) return;
  GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                     reinterpret_cast<LPCWSTR>(&pinLibrary), &pinned);
}

}  // namespace wsfc::shim
