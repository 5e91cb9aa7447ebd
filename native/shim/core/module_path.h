// Where this library was loaded from, so Startup can find `<library name>.json` beside it.
// Platform code: module_path_posix.cc (dladdr); module_path_win.cc later (GetModuleFileNameW).
#pragma once
#include <cstdio>
#include <string>

namespace wsfc::shim {

// The full path of the shared library (or executable) this code is linked into; empty if unknown.
std::string thisLibraryPath();
// fopen for a UTF-8 path (Windows needs the wide API for names outside the ANSI code page).
std::FILE* openUtf8(const std::string& path, const char* mode);

}  // namespace wsfc::shim
