// The test-only resource libraries are shared libraries the mock monitor loads like RHS loads a
// resource DLL, so they export Startup and StartupEx (their code is built hidden otherwise).
#pragma once
#include "common/resapi_abi.h"

#if defined(_WIN32)
#define WSFC_TEST_LIBRARY_EXPORT extern "C" __declspec(dllexport)
#else
#define WSFC_TEST_LIBRARY_EXPORT extern "C" __attribute__((visibility("default")))
#endif
