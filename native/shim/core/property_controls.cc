// The control codes the shim answers itself from the manifest and the property store
// (DESIGN §3, resdll-contract.md §7.3-§7.4), so they work while the host is down. Values of the
// codes are common/clusctl.h's (ClusApi.h, contract §7), which test/unit/control-codes.test.ts
// holds to lib/clusctl.ts.
#include <cstring>

#include "common/clusctl.h"
#include "protocol/messages.h"
#include "shim/properties/private_properties.h"
#include "type_runtime.h"

namespace wsfc::shim {

namespace {

constexpr DWORD kErrorResourcePropertiesStored = 5024;
constexpr DWORD kErrorNotReady = 21;

// Copies an answer out, or reports the size it needs (ERROR_MORE_DATA, contract §3.9).
DWORD reply(const std::vector<uint8_t>& bytes, void* out, DWORD outSize, LPDWORD returned) {
  *returned = static_cast<DWORD>(bytes.size());
  if (bytes.size() > outSize) return kErrorMoreData;
  if (!bytes.empty()) {
    if (!out) return kErrorInvalidParameter;
    std::memcpy(out, bytes.data(), bytes.size());
  }
  return kErrorSuccess;
}

std::vector<uint8_t> dword(uint32_t v) {
  std::vector<uint8_t> b(4);
  std::memcpy(b.data(), &v, 4);
  return b;
}

std::vector<uint8_t> classInfo(const TypeSchema& m) {
  std::vector<uint8_t> b(8);
  std::memcpy(b.data(), &m.resourceClass, 4);
  std::memcpy(b.data() + 4, &m.resourceSubClass, 4);
  return b;
}

}  // namespace

DWORD TypeRuntime::nativeResourceControl(Slot* slot, DWORD code, const void* in, DWORD inSize, void* out,
                                         DWORD outSize, LPDWORD returned, const Deadline& budget, bool& handled) {
  const TypeSchema& m = config_.schema;
  handled = true;
  switch (code) {
    case clusctl::RESOURCE_UNKNOWN:
      return kErrorSuccess;  // required: "supported" (§7.3)
    case clusctl::RESOURCE_GET_CHARACTERISTICS:
      return reply(dword(m.characteristics), out, outSize, returned);
    case clusctl::RESOURCE_GET_FLAGS:
      return reply(dword(m.flags), out, outSize, returned);
    case clusctl::RESOURCE_GET_CLASS_INFO:
      return reply(classInfo(m), out, outSize, returned);
    case clusctl::RESOURCE_GET_REQUIRED_DEPENDENCIES:
      return reply(props::requiredDependencies(m), out, outSize, returned);
    case clusctl::RESOURCE_ENUM_PRIVATE_PROPERTIES:
      return reply(props::enumerate(m), out, outSize, returned);
    case clusctl::RESOURCE_GET_PRIVATE_PROPERTY_FMTS:
      return reply(props::formats(m), out, outSize, returned);
    case clusctl::RESOURCE_GET_PRIVATE_PROPERTIES:
    case clusctl::RESOURCE_GET_RO_PRIVATE_PROPERTIES: {
      std::vector<proplist::Property> stored;
      std::string why;
      if (!readStored(*slot, stored, why)) {
        log(slot, LOG_ERROR, "GET_PRIVATE_PROPERTIES: " + why);
        return kErrorGenFailure;
      }
      return reply(props::get(m, stored, code == clusctl::RESOURCE_GET_RO_PRIVATE_PROPERTIES), out, outSize, returned);
    }
    case clusctl::RESOURCE_SET_PRIVATE_PROPERTIES:
    case clusctl::RESOURCE_VALIDATE_PRIVATE_PROPERTIES: {
      std::unique_lock<OpLock> op(slot->opMutex, std::defer_lock);
      if (!op.try_lock_until(budget.at)) return kErrorBusy;
      return setOrValidate(slot, code == clusctl::RESOURCE_SET_PRIVATE_PROPERTIES, in, inSize, budget);
    }
    default:
      handled = false;
      return kErrorInvalidFunction;
  }
}

DWORD TypeRuntime::setOrValidate(Slot* slot, bool store, const void* in, DWORD inSize, const Deadline& budget) {
  const TypeSchema& m = config_.schema;
  const char* what = store ? "SET_PRIVATE_PROPERTIES" : "VALIDATE_PRIVATE_PROPERTIES";
  std::vector<proplist::Property> changes;
  auto verdict = props::verify(m, static_cast<const uint8_t*>(in), in ? inSize : 0, changes);
  if (verdict.status != kErrorSuccess) {
    log(slot, LOG_ERROR, std::string(what) + " rejected: " + verdict.message);
    return verdict.status;
  }
  std::vector<proplist::Property> stored;
  std::string why;
  if (!readStored(*slot, stored, why)) {
    log(slot, LOG_ERROR, std::string(what) + ": " + why);
    return kErrorGenFailure;
  }
  std::vector<uint8_t> merged = proplist::encode(props::merge(stored, changes, m));
  DWORD hook = askValidateHook(slot, merged, budget);
  if (hook != kErrorSuccess) return hook;
  if (!store) return kErrorSuccess;
  // One write of the whole list: the store replaces all values or none.
  if (!slot->store->writeAll(merged)) {
    log(slot, LOG_ERROR, "SET_PRIVATE_PROPERTIES: the property store refused the write; nothing changed");
    return kErrorGenFailure;
  }
  link_.send(protocol::encode(protocol::FrameType::PropertiesChanged, slot->id, slot->phase.generation(), 0,
                              protocol::PropertiesMsg{merged}));
  auto st = slot->phase.state();
  bool active = st == SlotState::Online || st == SlotState::OnlinePending;
  return active && m.restartOnPropertyChange ? kErrorResourcePropertiesStored : kErrorSuccess;
}

DWORD TypeRuntime::askValidateHook(Slot* slot, const std::vector<uint8_t>& merged, const Deadline& budget) {
  if (!config_.schema.hasValidate) return kErrorSuccess;
  if (link_.state() != HostLink::State::Ready) {
    // Starting a host takes longer than one entry point may wait; say so rather than time out.
    ensureHost(budget.earlier(kDyingHostWaitMs));
    log(slot, LOG_ERROR, "the type's validate hook runs in its host, which is not running yet; retry once it has started");
    return kErrorNotReady;
  }
  auto waiter = std::make_shared<CallWaiter>();
  uint32_t req = pending_.add({CallKind::Control, slot->id, slot->phase.generation(), waiter});
  link_.send(protocol::encode(protocol::FrameType::Validate, slot->id, slot->phase.generation(), req,
                              protocol::PropertiesMsg{merged}));
  if (!waiter->waitUntil(budget.earlier(config_.deadlines.controlMs))) {
    PendingCall dropped;
    pending_.take(req, dropped);
    log(slot, LOG_ERROR, "the validate hook did not answer within " + std::to_string(config_.deadlines.controlMs) +
                             " ms; nothing stored");
    return kErrorTimeout;
  }
  if (waiter->status() == 0xFFFFFFFFu) return kErrorNotReady;  // the host went away meanwhile
  return waiter->status();
}

DWORD TypeRuntime::nativeTypeControl(DWORD code, const void* in, DWORD inSize, void* out, DWORD outSize,
                                     LPDWORD returned, bool& handled) {
  const TypeSchema& m = config_.schema;
  handled = true;
  switch (code) {
    case clusctl::RESOURCE_TYPE_UNKNOWN:
      return kErrorSuccess;
    case clusctl::RESOURCE_TYPE_GET_CHARACTERISTICS:
      return reply(dword(m.characteristics), out, outSize, returned);
    case clusctl::RESOURCE_TYPE_GET_FLAGS:
      return reply(dword(m.flags), out, outSize, returned);
    case clusctl::RESOURCE_TYPE_GET_CLASS_INFO:
      return reply(classInfo(m), out, outSize, returned);
    case clusctl::RESOURCE_TYPE_GET_REQUIRED_DEPENDENCIES:
      return reply(props::requiredDependencies(m), out, outSize, returned);
    case clusctl::RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS:
      return reply(props::formats(m), out, outSize, returned);
    // The type itself has no private properties; its resources do.
    case clusctl::RESOURCE_TYPE_ENUM_PRIVATE_PROPERTIES:
      return reply(proplist::encodeMultiSz({}), out, outSize, returned);
    case clusctl::RESOURCE_TYPE_GET_PRIVATE_PROPERTIES:
    case clusctl::RESOURCE_TYPE_GET_RO_PRIVATE_PROPERTIES:
    case clusctl::RESOURCE_TYPE_GET_PRIVATE_PROPERTY_FMTS:
      return reply(proplist::encode({}), out, outSize, returned);
    case clusctl::RESOURCE_TYPE_SET_PRIVATE_PROPERTIES:
    case clusctl::RESOURCE_TYPE_VALIDATE_PRIVATE_PROPERTIES: {
      std::vector<proplist::Property> parsed;
      auto verdict = props::verify(TypeSchema{}, static_cast<const uint8_t*>(in), in ? inSize : 0, parsed);
      if (verdict.status != kErrorSuccess) log(nullptr, LOG_ERROR, "resource type private properties: " + verdict.message);
      return verdict.status;
    }
    default:
      handled = false;
      return kErrorInvalidFunction;
  }
}

}  // namespace wsfc::shim
