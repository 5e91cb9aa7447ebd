// Every frame type and each payload's fields in wire order: the one place either is written.
// frame.h/.cc expand it into the type enum, the names and the known-type check; messages.cc into
// the encoder and decoder; addon/host/js_frames.cc into the conversion to and from JavaScript.
// lib/native.ts's FRAME_FIELDS says the same for TypeScript, and test/unit/frame-table.test.ts
// holds the two to each other. Adding a field is one line here (and one in FRAME_FIELDS).
#pragma once

// WSFC_FRAME_TYPES(T): T(Enum, value, "name", Payload, Direction)
//   Payload:   the struct of messages.h the payload holds (EmptyMsg: none)
//   Direction: ToHost (the shim sends it), ToShim (the host sends it) or Both
#define WSFC_FRAME_TYPES(T)                                            \
  T(Hello, 1, "hello", HelloMsg, ToHost)                               \
  T(Open, 2, "open", OpenMsg, ToHost)                                  \
  T(Close, 3, "close", EmptyMsg, ToHost)                               \
  T(Online, 4, "online", OnlineMsg, ToHost)                            \
  T(Offline, 5, "offline", OfflineMsg, ToHost)                         \
  T(Terminate, 6, "terminate", EmptyMsg, ToHost)                       \
  T(Cancel, 7, "cancel", EmptyMsg, ToHost)                             \
  T(LooksAlive, 8, "looksAlive", EmptyMsg, ToHost)                     \
  T(IsAlive, 9, "isAlive", EmptyMsg, ToHost)                           \
  T(Control, 10, "control", ControlMsg, ToHost)                        \
  T(TypeControl, 11, "typeControl", TypeControlMsg, ToHost)            \
  /* the TypeScript validate hook, with the would-be property list */  \
  T(Validate, 12, "validate", PropertiesMsg, ToHost)                   \
  /* a SET was stored; carries the new property list */                \
  T(PropertiesChanged, 13, "propertiesChanged", PropertiesMsg, ToHost) \
  T(HelloAck, 32, "helloAck", HelloAckMsg, ToShim)                     \
  T(Result, 33, "result", ResultMsg, ToShim)                           \
  T(Progress, 34, "progress", EmptyMsg, ToShim)                        \
  T(Log, 35, "log", LogMsg, ToShim)                                    \
  T(Heartbeat, 64, "heartbeat", EmptyMsg, Both)

// WSFC_MESSAGES(M): M(Struct, FIELDS), and FIELDS(F): F(kind, name, Js) in wire order, with kind
// the wire.h accessor (u8, u32, str, bytes) and Js either JS (JavaScript sees the field) or Wire
// (protocol bookkeeping the C++ side checks itself).
#define WSFC_HELLO_FIELDS(F) F(u32, protocolVersion, Wire) F(str, typeName, JS) F(u32, resapiVersion, JS) F(str, manifest, JS)
#define WSFC_HELLO_ACK_FIELDS(F) F(str, typeName, JS) F(str, hostInfo, JS)
#define WSFC_OPEN_FIELDS(F) F(str, name, JS) F(bytes, properties, JS) F(u32, flags, JS)
#define WSFC_ONLINE_FIELDS(F) F(bytes, properties, JS) F(u32, flags, JS)
#define WSFC_OFFLINE_FIELDS(F) F(u32, flags, JS) F(str, destinationNode, JS)
#define WSFC_PROPERTIES_FIELDS(F) F(bytes, properties, JS)
#define WSFC_CONTROL_FIELDS(F) F(u32, code, JS) F(bytes, input, JS)
#define WSFC_RESULT_FIELDS(F) F(u32, status, JS) F(bytes, output, JS)
#define WSFC_LOG_FIELDS(F) F(u8, level, JS) F(str, message, JS)
#define WSFC_EMPTY_FIELDS(F)

#define WSFC_MESSAGES(M)                     \
  M(HelloMsg, WSFC_HELLO_FIELDS)             \
  M(HelloAckMsg, WSFC_HELLO_ACK_FIELDS)      \
  M(OpenMsg, WSFC_OPEN_FIELDS)               \
  M(OnlineMsg, WSFC_ONLINE_FIELDS)           \
  M(OfflineMsg, WSFC_OFFLINE_FIELDS)         \
  M(PropertiesMsg, WSFC_PROPERTIES_FIELDS)   \
  M(ControlMsg, WSFC_CONTROL_FIELDS)         \
  M(TypeControlMsg, WSFC_CONTROL_FIELDS)     \
  M(ResultMsg, WSFC_RESULT_FIELDS)           \
  M(LogMsg, WSFC_LOG_FIELDS)                 \
  M(EmptyMsg, WSFC_EMPTY_FIELDS)
