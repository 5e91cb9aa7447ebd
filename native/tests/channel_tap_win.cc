// Test-only, never installed: lets the fault matrix's host fixture (test/fixtures/faulty-host.mjs)
// break its own channel on Windows, where JavaScript cannot reach it: the channel is two inherited
// pipe handles, not a file descriptor node's fs or net could open (POSIX uses fd 3 directly).
//   writeRaw(handle, buffer)  WriteFile of raw bytes on a pipe handle (garbage on the channel)
//   close(handle)             CloseHandle (the host ends its side; the shim sees the pipe break)
//   wine()                    whether this process runs under Wine (ntdll exports wine_get_version)
// A handle is the decimal value the launcher put in WSFC_CHANNEL_FD ("read,write").
#include <node_api.h>
#include <windows.h>

#include <cstdint>
#include <cstdlib>

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

}  // namespace

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "writeRaw", NAPI_AUTO_LENGTH, writeRaw, nullptr, &fn);
  napi_set_named_property(env, exports, "writeRaw", fn);
  napi_create_function(env, "close", NAPI_AUTO_LENGTH, closeHandle, nullptr, &fn);
  napi_set_named_property(env, exports, "close", fn);
  napi_create_function(env, "wine", NAPI_AUTO_LENGTH, wine, nullptr, &fn);
  napi_set_named_property(env, exports, "wine", fn);
  return exports;
}
