#include "monitor_callbacks.h"

#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <set>
#include <string>

#include "common/text.h"
#include "monitor.h"

namespace wsfc::monitor {

namespace {

std::mutex& monitorsMu() {
  static std::mutex m;
  return m;
}
std::set<Monitor*>& monitors() {
  static std::set<Monitor*> s;
  return s;
}

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

VOID WINAPI logEvent(RESOURCE_HANDLE h, LOG_LEVEL level, LPCWSTR fmt, ...) {
  try {
    va_list args;
    va_start(args, fmt);
    std::string msg = formatMessage(fmt, args);
    va_end(args);
    if (h) {
      auto* r = static_cast<Resource*>(h);
      r->owner->onLog(r, level, msg);
      return;
    }
    std::lock_guard<std::mutex> lock(monitorsMu());
    for (Monitor* m : monitors()) m->onLog(nullptr, level, msg);
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

CLRES_CALLBACK_FUNCTION_TABLE makeTable() {
  CLRES_CALLBACK_FUNCTION_TABLE t{};
  t.LogEvent = logEvent;
  t.SetResourceStatusEx = setStatusEx;
  t.SetResourceLockedMode = setLockedMode;
  t.SignalFailure = signalFailure;
  return t;
}
CLRES_CALLBACK_FUNCTION_TABLE gTable = makeTable();

}  // namespace

PSET_RESOURCE_STATUS_ROUTINE setResourceStatusCallback() { return setStatus; }
PLOG_EVENT_ROUTINE logEventCallback() { return logEvent; }
CLRES_CALLBACK_FUNCTION_TABLE* callbackTable() { return &gTable; }

void attachMonitor(Monitor* m) {
  std::lock_guard<std::mutex> lock(monitorsMu());
  monitors().insert(m);
}
void detachMonitor(Monitor* m) {
  std::lock_guard<std::mutex> lock(monitorsMu());
  monitors().erase(m);
}

}  // namespace wsfc::monitor
