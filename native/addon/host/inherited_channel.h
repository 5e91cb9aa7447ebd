// The host process's end of the channel, inherited from the shim that started it (an fd number
// on POSIX, a handle value on Windows, named by WSFC_CHANNEL_FD). Platform code lives in
// inherited_channel_posix.cc (inherited_channel_win.cc later).
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "channel/byte_stream.h"

namespace wsfc::addon {

// Takes over the inherited channel and makes it non-inheritable, so processes the host's handlers
// start can neither use the channel nor keep it open after the host is gone. Null + error if the
// value does not name an open channel.
std::unique_ptr<channel::ByteStream> adoptInheritedChannel(const std::string& value, std::string& error);

}  // namespace wsfc::addon
