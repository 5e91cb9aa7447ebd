// Versioned, length-prefixed frames exchanged between the shim and the host.
//
// Header (20 bytes, little-endian):
//   u32 payloadLength | u16 magic 'WF' | u8 version | u8 type | u32 slot | u32 generation | u32 request
// The payload layout depends on the type (frame_table.h, messages.h). Decoding never trusts the peer: the
// length is bounded, the magic, version and type are checked, and a bad header is an error
// value that the receiver treats as a corrupt channel.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "frame_table.h"

namespace wsfc::protocol {

constexpr uint16_t kMagic = 0x4657;  // "WF" in memory order
constexpr uint8_t kVersion = 1;
constexpr size_t kHeaderSize = 20;
// Property lists and control buffers are small; 1 MiB leaves room and bounds a hostile peer.
constexpr uint32_t kMaxPayload = 1u << 20;

// The frame types and what each carries: frame_table.h.
enum class FrameType : uint8_t {
#define WSFC_FRAME_ENUM(Enum, value, name, Payload, direction) Enum = value,
  WSFC_FRAME_TYPES(WSFC_FRAME_ENUM)
#undef WSFC_FRAME_ENUM
};

bool isKnownFrameType(uint8_t t);
const char* frameTypeName(FrameType t);

struct Frame {
  FrameType type = FrameType::Heartbeat;
  uint32_t slot = 0;
  uint32_t generation = 0;
  uint32_t request = 0;
  std::vector<uint8_t> payload;
};

// Appends the encoded frame to out. Returns false (and appends nothing) if the payload is too big.
bool encodeFrame(const Frame& f, std::vector<uint8_t>& out);

enum class DecodeStatus { Ok, NeedMore, Error };

struct DecodeResult {
  DecodeStatus status;
  size_t consumed;    // bytes of the input that made up the frame (Ok only)
  std::string error;  // why the bytes are not a frame (Error only)
};

// Decodes one frame from the front of [data, data+size) without reading past size.
DecodeResult decodeFrame(const uint8_t* data, size_t size, Frame& out);

// Accumulates a byte stream and yields frames; after the first error it stays failed,
// because a stream that lost framing cannot be resynchronised safely.
class FrameReader {
 public:
  void append(const uint8_t* data, size_t size);
  DecodeStatus next(Frame& out);
  const std::string& error() const { return error_; }

 private:
  std::vector<uint8_t> buf_;
  size_t start_ = 0;
  std::string error_;
};

}  // namespace wsfc::protocol
