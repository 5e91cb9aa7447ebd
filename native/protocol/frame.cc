#include "frame.h"

#include <cstring>

namespace wsfc::protocol {

bool isKnownFrameType(uint8_t t) {
  switch (t) {
#define WSFC_FRAME_KNOWN(Enum, value, name, Payload, direction) case value:
    WSFC_FRAME_TYPES(WSFC_FRAME_KNOWN)
#undef WSFC_FRAME_KNOWN
    return true;
  }
  return false;
}

const char* frameTypeName(FrameType t) {
  switch (t) {
#define WSFC_FRAME_NAME(Enum, value, name, Payload, direction) \
  case FrameType::Enum:                                        \
    return name;
    WSFC_FRAME_TYPES(WSFC_FRAME_NAME)
#undef WSFC_FRAME_NAME
  }
  return "unknown";
}

namespace {
void put32(std::vector<uint8_t>& out, uint32_t v) {
  uint8_t b[4];
  std::memcpy(b, &v, 4);
  out.insert(out.end(), b, b + 4);
}
uint32_t get32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
}  // namespace

bool encodeFrame(const Frame& f, std::vector<uint8_t>& out) {
  if (f.payload.size() > kMaxPayload) return false;
  out.reserve(out.size() + kHeaderSize + f.payload.size());
  put32(out, static_cast<uint32_t>(f.payload.size()));
  out.push_back(static_cast<uint8_t>(kMagic & 0xff));
  out.push_back(static_cast<uint8_t>(kMagic >> 8));
  out.push_back(kVersion);
  out.push_back(static_cast<uint8_t>(f.type));
  put32(out, f.slot);
  put32(out, f.generation);
  put32(out, f.request);
  out.insert(out.end(), f.payload.begin(), f.payload.end());
  return true;
}

DecodeResult decodeFrame(const uint8_t* data, size_t size, Frame& out) {
  // Check each header field as soon as its bytes are present, so garbage is rejected at once
  // instead of waiting for a (possibly huge) claimed length to arrive.
  if (size >= 4 && get32(data) > kMaxPayload)
    return {DecodeStatus::Error, 0, "frame payload length " + std::to_string(get32(data)) +
                                        " exceeds the limit of " + std::to_string(kMaxPayload)};
  if (size >= 6 && (data[4] | (data[5] << 8)) != kMagic)
    return {DecodeStatus::Error, 0, "bad frame magic"};
  if (size >= 7 && data[6] != kVersion)
    return {DecodeStatus::Error, 0, "unsupported frame version " + std::to_string(data[6])};
  if (size >= 8 && !isKnownFrameType(data[7]))
    return {DecodeStatus::Error, 0, "unknown frame type " + std::to_string(data[7])};
  if (size < kHeaderSize) return {DecodeStatus::NeedMore, 0, {}};
  uint32_t len = get32(data);
  if (size - kHeaderSize < len) return {DecodeStatus::NeedMore, 0, {}};
  out.type = static_cast<FrameType>(data[7]);
  out.slot = get32(data + 8);
  out.generation = get32(data + 12);
  out.request = get32(data + 16);
  out.payload.assign(data + kHeaderSize, data + kHeaderSize + len);
  return {DecodeStatus::Ok, kHeaderSize + len, {}};
}

void FrameReader::append(const uint8_t* data, size_t size) {
  // Compact lazily so a burst of small frames does not shift the buffer once per frame.
  if (start_ > 0 && start_ >= buf_.size() / 2) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  buf_.insert(buf_.end(), data, data + size);
}

DecodeStatus FrameReader::next(Frame& out) {
  if (!error_.empty()) return DecodeStatus::Error;
  DecodeResult r = decodeFrame(buf_.data() + start_, buf_.size() - start_, out);
  if (r.status == DecodeStatus::Ok) start_ += r.consumed;
  if (r.status == DecodeStatus::Error) error_ = r.error;
  return r.status;
}

}  // namespace wsfc::protocol
