#include <cstdlib>
#include <string>

#include "channel/pipe_stream_win.h"
#include "inherited_channel.h"

namespace wsfc::addon {

// "read,write": the handle values of the two pipe ends the shim's launcher let this process
// inherit (native/shim/process_launcher_win.cc).
std::unique_ptr<channel::ByteStream> adoptInheritedChannel(const std::string& text, std::string& error) {
  size_t comma = text.find(',');
  char* end1 = nullptr;
  char* end2 = nullptr;
  unsigned long long r = comma == std::string::npos ? 0 : std::strtoull(text.substr(0, comma).c_str(), &end1, 10);
  unsigned long long w = comma == std::string::npos ? 0 : std::strtoull(text.c_str() + comma + 1, &end2, 10);
  HANDLE readEnd = reinterpret_cast<HANDLE>(static_cast<uintptr_t>(r));
  HANDLE writeEnd = reinterpret_cast<HANDLE>(static_cast<uintptr_t>(w));
  DWORD type = 0;
  if (!r || !w || !end1 || *end1 || !end2 || *end2 || !GetHandleInformation(readEnd, &type) ||
      !GetHandleInformation(writeEnd, &type) || GetFileType(readEnd) != FILE_TYPE_PIPE ||
      GetFileType(writeEnd) != FILE_TYPE_PIPE) {
    error = "WSFC_CHANNEL_FD '" + text + "' does not name two inherited pipe handles";
    return nullptr;
  }
  // Processes the handlers start must neither use the channel nor keep it open.
  SetHandleInformation(readEnd, HANDLE_FLAG_INHERIT, 0);
  SetHandleInformation(writeEnd, HANDLE_FLAG_INHERIT, 0);
  return channel::makePipeStream(readEnd, writeEnd);
}

}  // namespace wsfc::addon
