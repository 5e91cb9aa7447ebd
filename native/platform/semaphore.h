// A counting semaphore whose post() takes no lock, so the lock-free Terminate path can wake the
// writer thread and the reader can wake a Terminate waiting for its ack. Every wait has a timeout.
#pragma once
#include <cstdint>

#if defined(_WIN32)
#include "common/resapi_abi.h"
#elif defined(__APPLE__)
#include <dispatch/dispatch.h>  // unnamed POSIX semaphores are unimplemented on macOS (sem_init: ENOSYS)
#else
#include <semaphore.h>
#endif

namespace wsfc::platform {

class Semaphore {
 public:
  Semaphore();
  ~Semaphore();
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  void post();
  // True if a post was consumed, false when timeoutMs elapsed first.
  bool waitFor(uint32_t timeoutMs);
  // Consumes every pending post without waiting.
  void drain();

 private:
#if defined(_WIN32)
  HANDLE handle_;
#elif defined(__APPLE__)
  dispatch_semaphore_t sem_;
#else
  sem_t sem_;
#endif
};

}  // namespace wsfc::platform
