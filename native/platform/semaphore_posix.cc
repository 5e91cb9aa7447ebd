#include <cerrno>
#include <ctime>

#include "semaphore.h"

namespace wsfc::platform {

#if defined(__APPLE__)

// libdispatch's semaphore (libSystem): signal is an atomic increment that enters the kernel only
// when a waiter sleeps, so post() takes no lock here either. Its deadlines count on the Mach
// absolute clock, which a wall-clock change does not move.
Semaphore::Semaphore() : sem_(dispatch_semaphore_create(0)) {}
Semaphore::~Semaphore() { dispatch_release(sem_); }

void Semaphore::post() { dispatch_semaphore_signal(sem_); }

bool Semaphore::waitFor(uint32_t timeoutMs) {
  dispatch_time_t deadline = dispatch_time(DISPATCH_TIME_NOW, static_cast<int64_t>(timeoutMs) * 1000000);
  return dispatch_semaphore_wait(sem_, deadline) == 0;
}

void Semaphore::drain() {
  while (dispatch_semaphore_wait(sem_, DISPATCH_TIME_NOW) == 0) {
  }
}

#else

Semaphore::Semaphore() { sem_init(&sem_, 0, 0); }
Semaphore::~Semaphore() { sem_destroy(&sem_); }

// sem_post is a single atomic increment plus a futex wake on Linux: no lock is taken.
void Semaphore::post() { sem_post(&sem_); }

// sem_clockwait (glibc 2.30+) takes a CLOCK_MONOTONIC deadline, so a wall-clock change cannot
// stretch it. Elsewhere (musl, older glibc) only sem_timedwait on CLOCK_REALTIME exists.
namespace {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 30))
constexpr clockid_t kWaitClock = CLOCK_MONOTONIC;
int waitUntil(sem_t* sem, const timespec* ts) { return sem_clockwait(sem, kWaitClock, ts); }
#else
constexpr clockid_t kWaitClock = CLOCK_REALTIME;
int waitUntil(sem_t* sem, const timespec* ts) { return sem_timedwait(sem, ts); }
#endif
}  // namespace

bool Semaphore::waitFor(uint32_t timeoutMs) {
  timespec ts{};
  clock_gettime(kWaitClock, &ts);
  ts.tv_sec += timeoutMs / 1000;
  ts.tv_nsec += static_cast<long>(timeoutMs % 1000) * 1000000L;
  if (ts.tv_nsec >= 1000000000L) {
    ts.tv_sec += 1;
    ts.tv_nsec -= 1000000000L;
  }
  for (;;) {
    if (waitUntil(&sem_, &ts) == 0) return true;
    if (errno != EINTR) return false;
  }
}

void Semaphore::drain() {
  while (sem_trywait(&sem_) == 0) {
  }
}

#endif

}  // namespace wsfc::platform
