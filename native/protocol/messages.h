// Typed payloads of each frame type. encode*() builds a Frame; decode*() checks that the payload
// has exactly the expected shape and returns false otherwise (the caller treats that like a
// corrupt frame). Which fields go on the wire, in which order, is frame_table.h's to say: these
// structs only hold them.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "frame.h"

namespace wsfc::protocol {

// What the shim tells the host first, and what the host must echo back to be accepted.
struct HelloMsg {
  uint32_t protocolVersion = kVersion;
  std::string typeName;
  uint32_t resapiVersion = 0;  // 0x100 (V1) or 0x200 (V2): which table RHS took
  // The type's normalized manifest as JSON (shim/type_manifest.h); the host refuses to serve if
  // its module's differs. Empty when the shim has none to compare (an in-process host).
  std::string manifest;
};
struct HelloAckMsg {
  std::string typeName;
  std::string hostInfo;  // free text for logs (runtime, pid)
};
// Open carries the stored private properties too, so `open(res)` already sees them.
struct OpenMsg {
  std::string name;
  std::vector<uint8_t> properties;
  uint32_t flags = 0;  // OpenV2's OpenFlags (0 on V1)
};
// Online carries the resource's private properties as a CLUSPROP property list, read from the
// property store at the moment of the call, so handlers see what the cluster has stored.
struct OnlineMsg {
  std::vector<uint8_t> properties;
  uint32_t flags = 0;
};
struct OfflineMsg {
  uint32_t flags = 0;
  std::string destinationNode;  // OfflineV2's DestinationNodeName; empty when RHS passed none
};
// Validate and PropertiesChanged carry a property list (the merged values after a SET).
struct PropertiesMsg {
  std::vector<uint8_t> properties;
};
struct ControlMsg {
  uint32_t code = 0;
  std::vector<uint8_t> input;
};
struct TypeControlMsg {
  uint32_t code = 0;
  std::vector<uint8_t> input;
};
// The answer to any request. Health checks put one byte (0/1) in output.
struct ResultMsg {
  uint32_t status = 0;
  std::vector<uint8_t> output;
};
struct LogMsg {
  uint8_t level = 0;  // LOG_LEVEL: 0 info, 1 warning, 2 error
  std::string message;
};
// Close, Terminate, Cancel, LooksAlive, IsAlive, Progress, Heartbeat.
struct EmptyMsg {};

// For code that handles every frame type alike (addon/host/js_frames.cc): encodeAs builds a frame
// of any type from its message; decodeAs fails unless the frame's type carries that message.
#define WSFC_DECLARE_AS(Msg, FIELDS)                                                       \
  Frame encodeAs(FrameType type, uint32_t slot, uint32_t gen, uint32_t req, const Msg& m); \
  bool decodeAs(const Frame& f, Msg& m);
WSFC_MESSAGES(WSFC_DECLARE_AS)
#undef WSFC_DECLARE_AS

Frame encode(const HelloMsg& m);
Frame encode(uint32_t slot, const HelloAckMsg& m);
Frame encode(uint32_t slot, uint32_t gen, uint32_t req, const OpenMsg& m);
Frame encode(uint32_t slot, uint32_t gen, uint32_t req, const OnlineMsg& m);
Frame encode(uint32_t slot, uint32_t gen, uint32_t req, const OfflineMsg& m);
Frame encode(FrameType type, uint32_t slot, uint32_t gen, uint32_t req, const PropertiesMsg& m);
Frame encode(uint32_t slot, uint32_t gen, uint32_t req, const ControlMsg& m);
Frame encode(uint32_t slot, uint32_t gen, uint32_t req, const TypeControlMsg& m);
Frame encode(uint32_t slot, uint32_t gen, uint32_t req, const ResultMsg& m);
Frame encode(uint32_t slot, uint32_t gen, const LogMsg& m);
// Frames whose payload is empty: Close, Terminate, Cancel, LooksAlive, IsAlive, Progress, Heartbeat.
Frame encodeEmpty(FrameType type, uint32_t slot, uint32_t gen, uint32_t req);

bool decode(const Frame& f, HelloMsg& m);
bool decode(const Frame& f, HelloAckMsg& m);
bool decode(const Frame& f, OpenMsg& m);
bool decode(const Frame& f, OnlineMsg& m);
bool decode(const Frame& f, OfflineMsg& m);
bool decode(const Frame& f, PropertiesMsg& m);
bool decode(const Frame& f, ControlMsg& m);
bool decode(const Frame& f, TypeControlMsg& m);
bool decode(const Frame& f, ResultMsg& m);
bool decode(const Frame& f, LogMsg& m);
bool decodeEmpty(const Frame& f);

}  // namespace wsfc::protocol
