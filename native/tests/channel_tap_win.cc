// Test-only, never installed: lets the fault matrix's host fixture (test/fixtures/faulty-host.mjs)
// break its own channel on Windows, where JavaScript cannot reach it: the channel is two inherited
// pipe handles, not a file descriptor node's fs or net could open (POSIX uses fd 3 directly).
//   writeRaw(handle, buffer)  WriteFile of raw bytes on a pipe handle (garbage on the channel)
//   close(handle)             CloseHandle (the host ends its side; the shim sees the pipe break)
//   wine()                    whether this process runs under Wine (ntdll exports wine_get_version)
// and lets test/process/channel-privacy.test.ts see what Windows has instead of /proc/<pid>/fd,
// and test/process/inspect.test.ts stop a host as a debugger's break-all does (POSIX: SIGSTOP):
//   handles()                 this process's handle table: [{ handle, inherit, type, name }],
//                             found by asking GetHandleInformation of each value (no system-wide
//                             query needed); name only for pipes (NtQueryObject ObjectNameInformation)
//   stdHandles()              [stdin, stdout, stderr] as GetStdHandle gives them
//   connect(name)             CreateFileW of a \Device\NamedPipe\ name: 0 if it opened (then
//                             closed), else the Win32 error (a pipe no one can join says 231, busy)
//   suspend(pid) / resume(pid) NtSuspendProcess / NtResumeProcess of another process
// A handle is the decimal value the launcher put in WSFC_CHANNEL_FD ("read,write").
//
// The name query goes to the pipe's file object: on Windows a synchronous pipe handle with a
// read pending in another thread (the channel's reader, pipe_stream_win.cc) makes it wait for
// that read; Wine answers at once. This addon runs under Wine only (the installed-tarball tier).
#include <node_api.h>
#include <windows.h>
#include <winternl.h>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

HANDLE handleArg(napi_env env, napi_value v) {
  char text[32] = {0};
  size_t n = 0;
  if (napi_get_value_string_utf8(env, v, text, sizeof text, &n) != napi_ok) return nullptr;
  return reinterpret_cast<HANDLE>(static_cast<uintptr_t>(std::strtoull(text, nullptr, 10)));
}

napi_value boolean(napi_env env, bool b) {
  napi_value out;
  napi_get_boolean(env, b, &out);
  return out;
}

napi_value writeRaw(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  void* data = nullptr;
  size_t size = 0;
  if (argc < 2 || napi_get_buffer_info(env, argv[1], &data, &size) != napi_ok) return boolean(env, false);
  DWORD written = 0;
  return boolean(env, WriteFile(handleArg(env, argv[0]), data, static_cast<DWORD>(size), &written, nullptr) && written == size);
}

napi_value closeHandle(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  return boolean(env, argc == 1 && CloseHandle(handleArg(env, argv[0])));
}

napi_value wine(napi_env env, napi_callback_info) {
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  return boolean(env, ntdll && GetProcAddress(ntdll, "wine_get_version"));
}

napi_value number(napi_env env, double d) {
  napi_value out;
  napi_create_double(env, d, &out);
  return out;
}

napi_value string(napi_env env, const std::wstring& w) {
  napi_value out;
  napi_create_string_utf16(env, reinterpret_cast<const char16_t*>(w.data()), w.size(), &out);
  return out;
}

using NtQueryObjectFn = NTSTATUS(NTAPI*)(HANDLE, ULONG, PVOID, ULONG, PULONG);
using NtProcessFn = NTSTATUS(NTAPI*)(HANDLE);

// Through void*, as clusapi_lazy_win.cc does: a direct FARPROC cast is -Wcast-function-type.
template <typename F>
F ntdll(const char* name) {
  return reinterpret_cast<F>(reinterpret_cast<void*>(GetProcAddress(GetModuleHandleW(L"ntdll.dll"), name)));
}

// ObjectNameInformation (1) and ObjectTypeInformation (2): both start with a UNICODE_STRING.
std::wstring objectText(NtQueryObjectFn query, HANDLE h, ULONG cls) {
  alignas(8) unsigned char buf[4096];
  ULONG n = 0;
  if (!query || query(h, cls, buf, sizeof buf, &n) != 0) return L"";
  const auto* u = reinterpret_cast<const UNICODE_STRING*>(buf);
  return u->Buffer ? std::wstring(u->Buffer, u->Length / sizeof(wchar_t)) : L"";
}

napi_value handles(napi_env env, napi_callback_info) {
  auto query = ntdll<NtQueryObjectFn>("NtQueryObject");
  napi_value list;
  napi_create_array(env, &list);
  uint32_t count = 0;
  // Handle values are multiples of 4, handed out lowest free first: past 4096 free values after
  // the last handle found there are no more (each probe is a wineserver call under Wine: a fixed
  // bound of a million values took seconds).
  uintptr_t last = 0;
  for (uintptr_t v = 4; v < last + 4 * 4096; v += 4) {
    HANDLE h = reinterpret_cast<HANDLE>(v);
    DWORD flags = 0;
    if (!GetHandleInformation(h, &flags)) continue;
    last = v;
    std::wstring type = objectText(query, h, 2);
    bool pipe = type == L"File" && GetFileType(h) == FILE_TYPE_PIPE;
    napi_value entry;
    napi_create_object(env, &entry);
    napi_set_named_property(env, entry, "handle", number(env, static_cast<double>(v)));
    napi_set_named_property(env, entry, "inherit", boolean(env, (flags & HANDLE_FLAG_INHERIT) != 0));
    napi_set_named_property(env, entry, "type", string(env, pipe ? L"Pipe" : type));
    napi_set_named_property(env, entry, "name", string(env, pipe ? objectText(query, h, 1) : L""));
    napi_set_element(env, list, count++, entry);
  }
  return list;
}

napi_value stdHandles(napi_env env, napi_callback_info) {
  napi_value list;
  napi_create_array(env, &list);
  const DWORD which[] = {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};
  for (uint32_t i = 0; i < 3; ++i)
    napi_set_element(env, list, i, number(env, static_cast<double>(reinterpret_cast<uintptr_t>(GetStdHandle(which[i])))));
  return list;
}

napi_value connect(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  char16_t name[1024] = {0};
  size_t n = 0;
  if (argc < 1 || napi_get_value_string_utf16(env, argv[0], name, 1024, &n) != napi_ok) return number(env, -1);
  std::wstring path(reinterpret_cast<wchar_t*>(name), n);
  const std::wstring device = L"\\Device\\NamedPipe\\";
  if (path.compare(0, device.size(), device) == 0) path = L"\\\\.\\pipe\\" + path.substr(device.size());
  HANDLE h = CreateFileW(path.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, 0, nullptr);
  if (h == INVALID_HANDLE_VALUE) return number(env, GetLastError());
  CloseHandle(h);
  return number(env, 0);
}

napi_value processCall(napi_env env, napi_callback_info info, const char* fn) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  uint32_t pid = 0;
  if (argc < 1 || napi_get_value_uint32(env, argv[0], &pid) != napi_ok) return boolean(env, false);
  auto call = ntdll<NtProcessFn>(fn);
  HANDLE process = OpenProcess(PROCESS_SUSPEND_RESUME, FALSE, pid);
  bool ok = call && process && call(process) == 0;
  if (process) CloseHandle(process);
  return boolean(env, ok);
}

napi_value suspend(napi_env env, napi_callback_info info) { return processCall(env, info, "NtSuspendProcess"); }
napi_value resume(napi_env env, napi_callback_info info) { return processCall(env, info, "NtResumeProcess"); }

}  // namespace

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "writeRaw", NAPI_AUTO_LENGTH, writeRaw, nullptr, &fn);
  napi_set_named_property(env, exports, "writeRaw", fn);
  napi_create_function(env, "close", NAPI_AUTO_LENGTH, closeHandle, nullptr, &fn);
  napi_set_named_property(env, exports, "close", fn);
  napi_create_function(env, "wine", NAPI_AUTO_LENGTH, wine, nullptr, &fn);
  napi_set_named_property(env, exports, "wine", fn);
  const struct {
    const char* name;
    napi_callback cb;
  } more[] = {{"handles", handles}, {"stdHandles", stdHandles}, {"connect", connect}, {"suspend", suspend}, {"resume", resume}};
  for (const auto& m : more) {
    napi_create_function(env, m.name, NAPI_AUTO_LENGTH, m.cb, nullptr, &fn);
    napi_set_named_property(env, exports, m.name, fn);
  }
  return exports;
}
