#include "common/resapi_abi.h"

#include "append_file.h"
#include "common/text.h"

namespace wsfc::platform {

std::unique_ptr<AppendFile> AppendFile::open(const std::string& path, std::string& error) {
  // FILE_SHARE_DELETE: the writer itself renames the file to rotate it while readers may hold it
  // (CreateFileW, "File Sharing": a rename needs every open handle to share delete access).
  HANDLE h = CreateFileW(toUtf16(path).c_str(), FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                         nullptr, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    error = "cannot open " + path + " (Win32 error " + std::to_string(GetLastError()) + ")";
    return nullptr;
  }
  LARGE_INTEGER size{};
  if (!GetFileSizeEx(h, &size)) size.QuadPart = 0;
  return std::unique_ptr<AppendFile>(new AppendFile(reinterpret_cast<intptr_t>(h), static_cast<uint64_t>(size.QuadPart)));
}

AppendFile::~AppendFile() { CloseHandle(reinterpret_cast<HANDLE>(handle_)); }

bool AppendFile::write(const char* data, size_t n) {
  while (n > 0) {
    DWORD chunk = n > 0x10000000 ? 0x10000000 : static_cast<DWORD>(n);
    DWORD written = 0;
    if (!WriteFile(reinterpret_cast<HANDLE>(handle_), data, chunk, &written, nullptr) || written == 0) return false;
    size_ += written;
    data += written;
    n -= written;
  }
  return true;
}

bool replaceFile(const std::string& from, const std::string& to, std::string& error) {
  if (MoveFileExW(toUtf16(from).c_str(), toUtf16(to).c_str(), MOVEFILE_REPLACE_EXISTING)) return true;
  error = "cannot rename " + from + " to " + to + " (Win32 error " + std::to_string(GetLastError()) + ")";
  return false;
}

}  // namespace wsfc::platform
