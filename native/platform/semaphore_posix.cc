#include <cerrno>
#include <ctime>

#include "semaphore.h"

namespace wsfc::platform {

Semaphore::Semaphore() { sem_init(&sem_, 0, 0); }
Semaphore::~Semaphore() { sem_destroy(&sem_); }

// sem_post is a single atomic increment plus a futex wake on Linux: no lock is taken.
void Semaphore::post() { sem_post(&sem_); }

bool Semaphore::waitFor(uint32_t timeoutMs) {
  // CLOCK_MONOTONIC so a wall-clock change cannot stretch the deadline.
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  ts.tv_sec += timeoutMs / 1000;
  ts.tv_nsec += static_cast<long>(timeoutMs % 1000) * 1000000L;
  if (ts.tv_nsec >= 1000000000L) {
    ts.tv_sec += 1;
    ts.tv_nsec -= 1000000000L;
  }
  for (;;) {
    if (sem_clockwait(&sem_, CLOCK_MONOTONIC, &ts) == 0) return true;
    if (errno != EINTR) return false;
  }
}

void Semaphore::drain() {
  while (sem_trywait(&sem_) == 0) {
  }
}

}  // namespace wsfc::platform
