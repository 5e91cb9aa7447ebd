#include "messages.h"

#include <type_traits>

#include "wire.h"

namespace wsfc::protocol {

namespace {

// Each message's fields, written and read in the order of frame_table.h.
#define WSFC_WRITE_FIELD(kind, name, js) w.kind(m.name);
#define WSFC_READ_FIELD(kind, name, js) m.name = r.kind();
#define WSFC_FIELD_CODEC(Msg, FIELDS)                    \
  void writeFields(wire::Writer& w, const Msg& m) {      \
    (void)w;                                             \
    (void)m;                                             \
    FIELDS(WSFC_WRITE_FIELD)                             \
  }                                                      \
  void readFields(wire::Reader& r, Msg& m) {             \
    (void)r;                                             \
    (void)m;                                             \
    FIELDS(WSFC_READ_FIELD)                              \
  }
WSFC_MESSAGES(WSFC_FIELD_CODEC)
#undef WSFC_FIELD_CODEC
#undef WSFC_READ_FIELD
#undef WSFC_WRITE_FIELD

// Whether frames of this type carry a Msg (the table's Payload column).
template <class Msg>
bool carries(FrameType type) {
#define WSFC_CARRIES(Enum, value, name, Payload, direction) \
  if (type == FrameType::Enum && std::is_same_v<Msg, Payload>) return true;
  WSFC_FRAME_TYPES(WSFC_CARRIES)
#undef WSFC_CARRIES
  return false;
}

template <class Msg>
bool read(const Frame& f, Msg& m) {
  if (!carries<Msg>(f.type)) return false;
  wire::Reader r(f.payload);
  readFields(r, m);
  return r.finished();
}

}  // namespace

#define WSFC_ENCODE_AS(Msg, FIELDS)                                                      \
  Frame encodeAs(FrameType type, uint32_t slot, uint32_t gen, uint32_t req, const Msg& m) { \
    wire::Writer w;                                                                      \
    writeFields(w, m);                                                                   \
    Frame f;                                                                             \
    f.type = type;                                                                       \
    f.slot = slot;                                                                       \
    f.generation = gen;                                                                  \
    f.request = req;                                                                     \
    f.payload = std::move(w.buffer());                                                   \
    return f;                                                                            \
  }                                                                                      \
  bool decodeAs(const Frame& f, Msg& m) { return read(f, m); }
WSFC_MESSAGES(WSFC_ENCODE_AS)
#undef WSFC_ENCODE_AS

Frame encode(const HelloMsg& m) { return encodeAs(FrameType::Hello, 0, 0, 0, m); }
Frame encode(uint32_t slot, const HelloAckMsg& m) { return encodeAs(FrameType::HelloAck, slot, 0, 0, m); }
Frame encode(uint32_t slot, uint32_t gen, uint32_t req, const OpenMsg& m) { return encodeAs(FrameType::Open, slot, gen, req, m); }
Frame encode(uint32_t slot, uint32_t gen, uint32_t req, const OnlineMsg& m) { return encodeAs(FrameType::Online, slot, gen, req, m); }
Frame encode(uint32_t slot, uint32_t gen, uint32_t req, const OfflineMsg& m) { return encodeAs(FrameType::Offline, slot, gen, req, m); }
Frame encode(FrameType type, uint32_t slot, uint32_t gen, uint32_t req, const PropertiesMsg& m) { return encodeAs(type, slot, gen, req, m); }
Frame encode(uint32_t slot, uint32_t gen, uint32_t req, const ControlMsg& m) { return encodeAs(FrameType::Control, slot, gen, req, m); }
Frame encode(uint32_t slot, uint32_t gen, uint32_t req, const TypeControlMsg& m) { return encodeAs(FrameType::TypeControl, slot, gen, req, m); }
Frame encode(uint32_t slot, uint32_t gen, uint32_t req, const ResultMsg& m) { return encodeAs(FrameType::Result, slot, gen, req, m); }
Frame encode(uint32_t slot, uint32_t gen, const LogMsg& m) { return encodeAs(FrameType::Log, slot, gen, 0, m); }
Frame encodeEmpty(FrameType type, uint32_t slot, uint32_t gen, uint32_t req) { return encodeAs(type, slot, gen, req, EmptyMsg{}); }

bool decode(const Frame& f, HelloMsg& m) { return read(f, m); }
bool decode(const Frame& f, HelloAckMsg& m) { return read(f, m); }
bool decode(const Frame& f, OpenMsg& m) { return read(f, m); }
bool decode(const Frame& f, OnlineMsg& m) { return read(f, m); }
bool decode(const Frame& f, OfflineMsg& m) { return read(f, m); }
bool decode(const Frame& f, PropertiesMsg& m) { return read(f, m); }
bool decode(const Frame& f, ControlMsg& m) { return read(f, m); }
bool decode(const Frame& f, TypeControlMsg& m) { return read(f, m); }
bool decode(const Frame& f, ResultMsg& m) { return read(f, m); }
bool decode(const Frame& f, LogMsg& m) { return read(f, m) && m.level <= 3; }
bool decodeEmpty(const Frame& f) { return f.payload.empty(); }

}  // namespace wsfc::protocol
