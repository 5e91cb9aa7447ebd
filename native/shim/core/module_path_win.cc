#include <string>

#include "module_path.h"
#include "common/resapi_abi.h"
#include "common/text.h"

namespace wsfc::shim {

std::string thisLibraryPath() {
  HMODULE self = nullptr;
  // Any address inside this DLL identifies it; this function's own will do.
  if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                          reinterpret_cast<LPCWSTR>(&thisLibraryPath), &self))
    return {};
  std::wstring path(MAX_PATH, L'\0');
  for (;;) {
    DWORD n = GetModuleFileNameW(self, path.data(), static_cast<DWORD>(path.size()));
    if (n == 0) return {};
    if (n < path.size()) {
      path.resize(n);
      return toUtf8(path);
    }
    if (path.size() >= 32768) return {};
    path.resize(path.size() * 2);
  }
}

}  // namespace wsfc::shim

namespace wsfc::shim {

std::FILE* openUtf8(const std::string& path, const char* mode) {
  return _wfopen(toUtf16(path).c_str(), toUtf16(mode).c_str());
}

}  // namespace wsfc::shim
