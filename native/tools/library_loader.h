// Loading a resource library the way RHS does: LoadLibraryW + GetProcAddress on Windows,
// dlopen + dlsym on POSIX (library_loader_posix.cc, library_loader_win.cc).
#pragma once
#include <string>

namespace wsfc::tools {

// Null + error on failure.
void* loadLibrary(const std::string& path, std::string& error);
void* findSymbol(void* library, const char* name);
void unloadLibrary(void* library);

}  // namespace wsfc::tools
