// libFuzzer target for the frame stream and every payload decoder (native/protocol): the bytes a
// peer writes on the channel, fed to a FrameReader in chunks the input chooses, and each frame it
// yields to the decoder of every message. Nothing may crash or read out of bounds (ASan/UBSan
// watch that); a reader that failed stays failed; a payload that decodes re-encodes to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "protocol/frame.h"
#include "protocol/frame_table.h"
#include "protocol/messages.h"

namespace {

using namespace wsfc::protocol;

template <class Msg>
void decodeEach(const Frame& f) {
  Msg m;
  if (!decodeAs(f, m)) return;
  Frame again = encodeAs(f.type, f.slot, f.generation, f.request, m);
  if (again.payload != f.payload) std::abort();
}

void decodePayloads(const Frame& f) {
#define WSFC_FUZZ_DECODE(Msg, FIELDS) decodeEach<Msg>(f);
  WSFC_MESSAGES(WSFC_FUZZ_DECODE)
#undef WSFC_FUZZ_DECODE
  std::vector<uint8_t> bytes;
  if (encodeFrame(f, bytes)) {  // a frame that decoded encodes back to the same header and payload
    Frame back;
    DecodeResult r = decodeFrame(bytes.data(), bytes.size(), back);
    if (r.status != DecodeStatus::Ok || r.consumed != bytes.size() || back.type != f.type || back.slot != f.slot ||
        back.generation != f.generation || back.request != f.request || back.payload != f.payload)
      std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The first byte picks the chunk size the stream arrives in (1..256 bytes), as reads would cut it.
  if (size == 0) return 0;
  size_t chunk = static_cast<size_t>(data[0]) + 1;
  ++data;
  --size;
  FrameReader reader;
  bool failed = false;
  for (size_t at = 0; at < size;) {
    size_t n = size - at < chunk ? size - at : chunk;
    reader.append(data + at, n);
    at += n;
    Frame f;
    for (;;) {
      DecodeStatus s = reader.next(f);
      if (s == DecodeStatus::Ok) {
        if (failed) std::abort();  // no frame after the stream lost its framing
        decodePayloads(f);
        continue;
      }
      if (s == DecodeStatus::Error) {
        if (reader.error().empty()) std::abort();
        failed = true;
      }
      break;
    }
  }
  // The same bytes decoded in one piece agree on the first frame.
  Frame first;
  DecodeResult r = decodeFrame(data, size, first);
  if (r.status == DecodeStatus::Ok && r.consumed > size) std::abort();
  return 0;
}
