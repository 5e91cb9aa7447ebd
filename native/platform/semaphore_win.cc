#include <climits>

#include "semaphore.h"

namespace wsfc::platform {

Semaphore::Semaphore() : handle_(CreateSemaphoreW(nullptr, 0, LONG_MAX, nullptr)) {}
Semaphore::~Semaphore() {
  if (handle_) CloseHandle(handle_);
}

// ReleaseSemaphore is a kernel call on an object no user-mode lock guards: safe on Terminate's path.
void Semaphore::post() { ReleaseSemaphore(handle_, 1, nullptr); }

bool Semaphore::waitFor(uint32_t timeoutMs) { return WaitForSingleObject(handle_, timeoutMs) == WAIT_OBJECT_0; }

void Semaphore::drain() {
  while (WaitForSingleObject(handle_, 0) == WAIT_OBJECT_0) {
  }
}

}  // namespace wsfc::platform
