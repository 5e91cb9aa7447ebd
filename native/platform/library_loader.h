// Loading a resource library the way RHS does: LoadLibraryW + GetProcAddress on Windows,
// dlopen + dlsym on POSIX (library_loader_posix.cc, library_loader_win.cc).
#pragma once
#include <string>
#include <vector>

namespace wsfc::platform {

// Null + error on failure.
void* loadLibrary(const std::string& path, std::string& error);
void* findSymbol(void* library, const char* name);
void unloadLibrary(void* library);

// The command line as UTF-8: argv itself on POSIX; on Windows the wide command line, since argv
// there is in the ANSI code page and loses any path or type name outside it.
std::vector<std::string> utf8Arguments(int argc, char** argv);

}  // namespace wsfc::platform
