#include "monitor_callbacks.h"

#include <array>
#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "common/text.h"
#include "monitor.h"

namespace wsfc::monitor {

namespace {

std::mutex& monitorsMu() {
  static std::mutex m;
  return m;
}
// Monitors without a callback slot of their own (more than kMaxCallbackSlots at once) share the
// broadcast LogEvent: each of them sees every type-level line.
std::set<Monitor*>& monitors() {
  static std::set<Monitor*> s;
  return s;
}
// A type-level LogEvent (no resource handle) names no monitor, so each monitor gets callbacks of
// its own, bound to its slot at compile time: what separate RHS processes are.
constexpr size_t kMaxCallbackSlots = 256;
std::atomic<Monitor*> gSlots[kMaxCallbackSlots];

// FormatMessage inserts as resource DLLs use them: %N!ws! / %N!s! (wide strings) and
// %N!u! / %N!d! / %N!x! (32-bit numbers); a bare %N is a wide string. Arguments are consumed in
// order of appearance, which is how every LogEvent caller we know writes its format.
std::string formatMessage(LPCWSTR fmt, va_list args) {
  u16string_t out;
  if (!fmt) return {};
  for (const WCHAR_T* p = fmt; *p; ++p) {
    if (*p != u'%' || !p[1]) {
      out.push_back(*p);
      continue;
    }
    ++p;
    if (*p == u'%' || *p == u'n') {
      out.push_back(*p == u'n' ? u'\n' : u'%');
      continue;
    }
    if (*p < u'1' || *p > u'9') {
      out.push_back(u'%');
      out.push_back(*p);
      continue;
    }
    while (p[1] >= u'0' && p[1] <= u'9') ++p;
    std::u16string spec = u"ws";
    if (p[1] == u'!') {
      spec.clear();
      const WCHAR_T* q = p + 2;
      while (*q && *q != u'!') spec.push_back(static_cast<char16_t>(*q++));
      if (*q == u'!') p = q;
    }
    if (spec == u"ws" || spec == u"s") {
      const WCHAR_T* s = va_arg(args, const WCHAR_T*);
      if (s) out += s;
    } else {
      unsigned v = va_arg(args, unsigned);
      char buf[32];
      std::snprintf(buf, sizeof buf, spec == u"x" || spec == u"X" ? "%x" : spec == u"d" ? "%d" : "%u", v);
      for (char* c = buf; *c; ++c) out.push_back(static_cast<WCHAR_T>(*c));
    }
  }
  while (!out.empty() && (out.back() == u'\n' || out.back() == u'\r')) out.pop_back();
  return toUtf8(out);
}

// RESOURCE_STATUS and RESOURCE_STATUS_EX differ in layout; the EX one also says why a resource
// failed (ApplicationSpecificErrorCode, Flags), which the timeline shows.
std::string statusDetail(const RESOURCE_STATUS*) { return ""; }
std::string statusDetail(const RESOURCE_STATUS_EX* s) {
  if (s->ApplicationSpecificErrorCode == 0 && s->Flags == 0) return "";
  char buf[96];
  std::snprintf(buf, sizeof buf, "ApplicationSpecificErrorCode %u, Flags 0x%x",
                static_cast<unsigned>(s->ApplicationSpecificErrorCode), static_cast<unsigned>(s->Flags));
  return buf;
}

template <class Status>
DWORD reportStatus(RESOURCE_HANDLE h, Status* s) {
  try {
    if (!h || !s) return ResourceExitStateContinue;
    auto* r = static_cast<Resource*>(h);
    return r->owner->onStatus(*r, s->ResourceState, s->CheckPoint, s->EventHandle, statusDetail(s));
  } catch (...) {
    return ResourceExitStateContinue;
  }
}

DWORD WINAPI setStatus(RESOURCE_HANDLE h, RESOURCE_STATUS* s) { return reportStatus(h, s); }
DWORD WINAPI setStatusEx(RESOURCE_HANDLE h, RESOURCE_STATUS_EX* s) { return reportStatus(h, s); }

// slot: the monitor's callback slot, or kMaxCallbackSlots for the broadcast callbacks.
void logTo(size_t slot, RESOURCE_HANDLE h, LOG_LEVEL level, LPCWSTR fmt, va_list args) {
  std::string msg = formatMessage(fmt, args);
  if (h) {
    auto* r = static_cast<Resource*>(h);
    r->owner->onLog(r, level, msg);
    return;
  }
  std::lock_guard<std::mutex> lock(monitorsMu());
  if (slot < kMaxCallbackSlots) {
    if (Monitor* m = gSlots[slot].load()) m->onLog(nullptr, level, msg);
    return;
  }
  for (Monitor* m : monitors()) m->onLog(nullptr, level, msg);
}

template <size_t Slot>
VOID WINAPI logEvent(RESOURCE_HANDLE h, LOG_LEVEL level, LPCWSTR fmt, ...) {
  try {
    va_list args;
    va_start(args, fmt);
    logTo(Slot, h, level, fmt, args);
    va_end(args);
  } catch (...) {
  }
}

DWORD WINAPI setLockedMode(RESOURCE_HANDLE, BOOL, DWORD) { return 0; }

DWORD WINAPI signalFailure(RESOURCE_HANDLE h, FAILURE_TYPE, DWORD code) {
  try {
    if (h) static_cast<Resource*>(h)->owner->onSignalFailure(*static_cast<Resource*>(h), code);
  } catch (...) {
  }
  return 0;
}

template <size_t Slot>
CLRES_CALLBACK_FUNCTION_TABLE makeTable() {
  CLRES_CALLBACK_FUNCTION_TABLE t{};
  t.LogEvent = logEvent<Slot>;
  t.SetResourceStatusEx = setStatusEx;
  t.SetResourceLockedMode = setLockedMode;
  t.SignalFailure = signalFailure;
  return t;
}
template <size_t... I>
std::array<CLRES_CALLBACK_FUNCTION_TABLE, kMaxCallbackSlots + 1> makeTables(std::index_sequence<I...>) {
  return {{makeTable<I>()..., makeTable<kMaxCallbackSlots>()}};
}
template <size_t... I>
std::array<PLOG_EVENT_ROUTINE, kMaxCallbackSlots + 1> makeLogEvents(std::index_sequence<I...>) {
  return {{logEvent<I>..., logEvent<kMaxCallbackSlots>}};
}
std::array<CLRES_CALLBACK_FUNCTION_TABLE, kMaxCallbackSlots + 1> gTables =
    makeTables(std::make_index_sequence<kMaxCallbackSlots>{});
std::array<PLOG_EVENT_ROUTINE, kMaxCallbackSlots + 1> gLogEvents =
    makeLogEvents(std::make_index_sequence<kMaxCallbackSlots>{});

}  // namespace

PSET_RESOURCE_STATUS_ROUTINE setResourceStatusCallback() { return setStatus; }
PLOG_EVENT_ROUTINE logEventCallback(size_t slot) { return gLogEvents[slot < kMaxCallbackSlots ? slot : kMaxCallbackSlots]; }
CLRES_CALLBACK_FUNCTION_TABLE* callbackTable(size_t slot) {
  return &gTables[slot < kMaxCallbackSlots ? slot : kMaxCallbackSlots];
}

size_t attachMonitor(Monitor* m) {
  std::lock_guard<std::mutex> lock(monitorsMu());
  for (size_t i = 0; i < kMaxCallbackSlots; ++i) {
    Monitor* expected = nullptr;
    if (gSlots[i].compare_exchange_strong(expected, m)) return i;
  }
  monitors().insert(m);
  return kMaxCallbackSlots;
}
void detachMonitor(Monitor* m, size_t slot) {
  std::lock_guard<std::mutex> lock(monitorsMu());
  if (slot < kMaxCallbackSlots) gSlots[slot].store(nullptr);
  else monitors().erase(m);
}

}  // namespace wsfc::monitor
