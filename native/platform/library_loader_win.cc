#include "common/resapi_abi.h"

#include <shellapi.h>
#include "common/text.h"
#include "library_loader.h"

namespace wsfc::platform {

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

std::vector<std::string> utf8Arguments(int, char**) {
  std::vector<std::string> out;
  int count = 0;
  LPWSTR* wide = CommandLineToArgvW(GetCommandLineW(), &count);
  if (!wide) return out;
  for (int i = 0; i < count; ++i) out.push_back(toUtf8(reinterpret_cast<const WCHAR_T*>(wide[i])));
  LocalFree(wide);
  return out;
}

}  // namespace wsfc::platform
