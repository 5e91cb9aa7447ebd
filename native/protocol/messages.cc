#include "messages.h"

#include "wire.h"

namespace wsfc::protocol {

namespace {
Frame make(FrameType type, uint32_t slot, uint32_t gen, uint32_t req, wire::Writer& w) {
  Frame f;
  f.type = type;
  f.slot = slot;
  f.generation = gen;
  f.request = req;
  f.payload = std::move(w.buffer());
  return f;
}
}  // namespace

Frame encode(const HelloMsg& m) {
  wire::Writer w;
  w.u32(m.protocolVersion);
  w.str(m.typeName);
  w.u32(m.resapiVersion);
  w.str(m.manifest);
  return make(FrameType::Hello, 0, 0, 0, w);
}
Frame encode(uint32_t slot, const HelloAckMsg& m) {
  wire::Writer w;
  w.str(m.typeName);
  w.str(m.hostInfo);
  return make(FrameType::HelloAck, slot, 0, 0, w);
}
Frame encode(uint32_t slot, uint32_t gen, uint32_t req, const OpenMsg& m) {
  wire::Writer w;
  w.str(m.name);
  w.bytes(m.properties);
  w.u32(m.flags);
  return make(FrameType::Open, slot, gen, req, w);
}
Frame encode(uint32_t slot, uint32_t gen, uint32_t req, const OnlineMsg& m) {
  wire::Writer w;
  w.bytes(m.properties);
  w.u32(m.flags);
  return make(FrameType::Online, slot, gen, req, w);
}
Frame encode(uint32_t slot, uint32_t gen, uint32_t req, const OfflineMsg& m) {
  wire::Writer w;
  w.u32(m.flags);
  w.str(m.destinationNode);
  return make(FrameType::Offline, slot, gen, req, w);
}
Frame encode(FrameType type, uint32_t slot, uint32_t gen, uint32_t req, const PropertiesMsg& m) {
  wire::Writer w;
  w.bytes(m.properties);
  return make(type, slot, gen, req, w);
}
Frame encode(uint32_t slot, uint32_t gen, uint32_t req, const ControlMsg& m) {
  wire::Writer w;
  w.u32(m.code);
  w.bytes(m.input);
  return make(FrameType::Control, slot, gen, req, w);
}
Frame encode(uint32_t slot, uint32_t gen, uint32_t req, const TypeControlMsg& m) {
  wire::Writer w;
  w.u32(m.code);
  w.bytes(m.input);
  return make(FrameType::TypeControl, slot, gen, req, w);
}
Frame encode(uint32_t slot, uint32_t gen, uint32_t req, const ResultMsg& m) {
  wire::Writer w;
  w.u32(m.status);
  w.bytes(m.output);
  return make(FrameType::Result, slot, gen, req, w);
}
Frame encode(uint32_t slot, uint32_t gen, const LogMsg& m) {
  wire::Writer w;
  w.u8(m.level);
  w.str(m.message);
  return make(FrameType::Log, slot, gen, 0, w);
}
Frame encodeEmpty(FrameType type, uint32_t slot, uint32_t gen, uint32_t req) {
  wire::Writer w;
  return make(type, slot, gen, req, w);
}

bool decode(const Frame& f, HelloMsg& m) {
  if (f.type != FrameType::Hello) return false;
  wire::Reader r(f.payload);
  m.protocolVersion = r.u32();
  m.typeName = r.str();
  m.resapiVersion = r.u32();
  m.manifest = r.str();
  return r.finished();
}
bool decode(const Frame& f, HelloAckMsg& m) {
  if (f.type != FrameType::HelloAck) return false;
  wire::Reader r(f.payload);
  m.typeName = r.str();
  m.hostInfo = r.str();
  return r.finished();
}
bool decode(const Frame& f, OpenMsg& m) {
  if (f.type != FrameType::Open) return false;
  wire::Reader r(f.payload);
  m.name = r.str();
  m.properties = r.bytes();
  m.flags = r.u32();
  return r.finished();
}
bool decode(const Frame& f, OnlineMsg& m) {
  if (f.type != FrameType::Online) return false;
  wire::Reader r(f.payload);
  m.properties = r.bytes();
  m.flags = r.u32();
  return r.finished();
}
bool decode(const Frame& f, OfflineMsg& m) {
  if (f.type != FrameType::Offline) return false;
  wire::Reader r(f.payload);
  m.flags = r.u32();
  m.destinationNode = r.str();
  return r.finished();
}
bool decode(const Frame& f, PropertiesMsg& m) {
  if (f.type != FrameType::Validate && f.type != FrameType::PropertiesChanged) return false;
  wire::Reader r(f.payload);
  m.properties = r.bytes();
  return r.finished();
}
bool decode(const Frame& f, ControlMsg& m) {
  if (f.type != FrameType::Control) return false;
  wire::Reader r(f.payload);
  m.code = r.u32();
  m.input = r.bytes();
  return r.finished();
}
bool decode(const Frame& f, TypeControlMsg& m) {
  if (f.type != FrameType::TypeControl) return false;
  wire::Reader r(f.payload);
  m.code = r.u32();
  m.input = r.bytes();
  return r.finished();
}
bool decode(const Frame& f, ResultMsg& m) {
  if (f.type != FrameType::Result) return false;
  wire::Reader r(f.payload);
  m.status = r.u32();
  m.output = r.bytes();
  return r.finished();
}
bool decode(const Frame& f, LogMsg& m) {
  if (f.type != FrameType::Log) return false;
  wire::Reader r(f.payload);
  m.level = r.u8();
  m.message = r.str();
  return r.finished() && m.level <= 3;
}
bool decodeEmpty(const Frame& f) { return f.payload.empty(); }

}  // namespace wsfc::protocol
