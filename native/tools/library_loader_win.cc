#include "../shim/resapi_abi.h"
#include "../shim/text.h"
#include "library_loader.h"

namespace wsfc::tools {

void* loadLibrary(const std::string& path, std::string& error) {
  HMODULE lib = LoadLibraryW(toUtf16(path).c_str());
  if (!lib) error = "LoadLibraryW failed (Win32 error " + std::to_string(GetLastError()) + ")";
  return reinterpret_cast<void*>(lib);
}
void* findSymbol(void* library, const char* name) {
  return reinterpret_cast<void*>(GetProcAddress(static_cast<HMODULE>(library), name));
}
// The shim pins itself while its threads run (library_pin_win.cc), so this only drops our
// reference; its host goes when the process (and with it the host's job) ends.
void unloadLibrary(void* library) { FreeLibrary(static_cast<HMODULE>(library)); }

}  // namespace wsfc::tools
