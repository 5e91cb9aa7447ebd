// POSIX host launch: socketpair + fork/exec. The child's end of the pair becomes fd 3 (named in
// WSFC_CHANNEL_FD); every other descriptor is close-on-exec and the child closes any that a
// careless library left inheritable, so the channel is reachable by inheritance only. The child
// leads its own process group, so killing the group also takes whatever it started.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>

#include "channel/fd_stream_posix.h"
#include "host_output.h"
#include "process_launcher.h"

extern char** environ;

namespace wsfc::shim {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kChannelFd = 3;
constexpr int kExecErrorFd = 4;  // close-on-exec: end of file here means exec succeeded
// exec of a local binary takes milliseconds; this only bounds a pathological case.
constexpr int kExecWaitMs = 5000;
// SIGKILL cannot be caught; a process that outlives this is stuck in the kernel (D state).
constexpr auto kReapWait = std::chrono::seconds(2);

struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  int release() {
    int f = fd;
    fd = -1;
    return f;
  }
};

std::string errnoText(int e) { return std::string(std::strerror(e)) + " (errno " + std::to_string(e) + ")"; }

// Linux and the BSDs create a descriptor close-on-exec atomically, so a fork on another thread
// (another resource type's launch, node's child_process) can never inherit one. macOS has neither
// pipe2 nor SOCK_CLOEXEC: there the flag is set right after creation, and a fork in that window
// still inherits nothing, because our own children close every descriptor above kExecErrorFd
// before exec (closeFrom) and libuv spawns with POSIX_SPAWN_CLOEXEC_DEFAULT on macOS
// (libuv src/unix/process.c, uv__spawn_set_posix_spawn_attrs).
[[maybe_unused]] bool cloexecPair(int fds[2], int (*create)(int*), const char* what, std::string& error) {
  if (create(fds) != 0) {
    error = std::string(what) + " failed: " + errnoText(errno);
    return false;
  }
  if (::fcntl(fds[0], F_SETFD, FD_CLOEXEC) != 0 || ::fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0) {
    error = "fcntl(FD_CLOEXEC) failed: " + errnoText(errno);
    ::close(fds[0]);
    ::close(fds[1]);
    return false;
  }
  return true;
}

bool makeSocketPair(int sv[2], std::string& error) {
#if defined(SOCK_CLOEXEC)
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0) return true;
  error = "socketpair failed: " + errnoText(errno);
  return false;
#else
  return cloexecPair(sv, [](int* p) { return ::socketpair(AF_UNIX, SOCK_STREAM, 0, p); }, "socketpair", error);
#endif
}

bool makePipe(int fds[2], std::string& error) {
#if defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__)
  if (::pipe2(fds, O_CLOEXEC) == 0) return true;
  error = "pipe2 failed: " + errnoText(errno);
  return false;
#else
  return cloexecPair(fds, [](int* p) { return ::pipe(p); }, "pipe", error);
#endif
}

std::string describeStatus(int status) {
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    const char* name = sig == SIGKILL ? "SIGKILL" : sig == SIGSEGV ? "SIGSEGV" : sig == SIGABRT ? "SIGABRT"
                     : sig == SIGTERM ? "SIGTERM" : nullptr;
    return "was killed by signal " + std::to_string(sig) + (name ? std::string(" (") + name + ")" : "");
  }
  return "ended with status " + std::to_string(status);
}

// Everything the child needs, prepared before fork: between fork and exec only
// async-signal-safe calls are allowed (the parent is multi-threaded), so no allocation there.
struct ChildPlan {
  std::vector<std::string> argvStore, envStore;
  std::vector<char*> argv, envp;
  int stdinFd = -1, stdoutFd = -1, stderrFd = -1, channelFd = -1, execErrorFd = -1;
};

void closeFrom(int first) {
#if defined(__linux__) && defined(SYS_close_range)
  if (::syscall(SYS_close_range, static_cast<unsigned>(first), ~0u, 0u) == 0) return;
#endif
  long max = ::sysconf(_SC_OPEN_MAX);
  if (max < 0 || max > 65536) max = 65536;
  for (int fd = first; fd < max; ++fd) ::close(fd);
}

[[noreturn]] void execChild(const ChildPlan& plan) {
  ::setpgid(0, 0);
  // Signal state survives exec: start node with nothing blocked and nothing ignored.
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction dfl;
  std::memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; ++s) ::sigaction(s, &dfl, nullptr);  // SIGKILL/SIGSTOP refuse: fine
  // Lift every source above the target numbers first so no dup2 overwrites one not yet moved.
  int src[5] = {plan.stdinFd, plan.stdoutFd, plan.stderrFd, plan.channelFd, plan.execErrorFd};
  for (int& fd : src) {
    fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
    if (fd < 0) ::_exit(126);
  }
  for (int target = 0; target < 5; ++target)
    if (::dup2(src[target], target) < 0) ::_exit(126);  // dup2 clears close-on-exec on the target
  ::fcntl(kExecErrorFd, F_SETFD, FD_CLOEXEC);
  closeFrom(kExecErrorFd + 1);
  ::execve(plan.argv[0], plan.argv.data(), plan.envp.data());
  int e = errno;
  (void)!::write(kExecErrorFd, &e, sizeof e);
  ::_exit(127);
}

// At namespace scope, not nested in the launcher: clang cannot default-construct a nested class
// with member initializers (std::optional::emplace) before the enclosing class is complete.
struct Child {
  pid_t pid = 0;
  Clock::time_point started;
  std::unique_ptr<HostOutput> output;
  HostLog log;
};

class PosixProcessLauncher final : public HostLauncher {
 public:
  explicit PosixProcessLauncher(HostCommand cmd) : cmd_(std::move(cmd)) {}
  ~PosixProcessLauncher() override { kill(0); }

  HostLaunch launch(const std::string& typeName, const HostLog& log) override;
  void kill(uint32_t exitGraceMs) override;
  bool killTreeNow(int64_t pid) override;

 private:
  using Held = std::lock_guard<std::mutex>;
  ChildPlan plan(int stdinFd, int stdoutFd, int stderrFd, int channelFd, int execErrorFd) const;
  void killLocked(const Held&, uint32_t exitGraceMs);
  void reapStragglers(const Held&);

  // Stops killTreeNow() from signalling a pid that is about to be reaped (and could then be
  // reused): cleared, and its signallers waited out, before the first waitpid of a kill.
  void retireLive();

  const HostCommand cmd_;
  std::mutex mu_;
  std::optional<Child> child_;
  std::vector<pid_t> unreaped_;
  std::atomic<pid_t> live_{0};
  std::atomic<int> signalling_{0};
};

ChildPlan PosixProcessLauncher::plan(int stdinFd, int stdoutFd, int stderrFd, int channelFd, int execErrorFd) const {
  ChildPlan p;
  p.argvStore.push_back(cmd_.node);
  for (const auto& a : cmd_.nodeArgs) p.argvStore.push_back(a);
  p.argvStore.push_back(cmd_.main);
  p.argvStore.push_back("--module");
  p.argvStore.push_back(cmd_.module);
  std::vector<std::pair<std::string, std::string>> overrides = cmd_.env;
  overrides.emplace_back(kChannelEnvVar, std::to_string(kChannelFd));
  auto overridden = [&](const char* entry) {
    const char* eq = std::strchr(entry, '=');
    size_t len = eq ? static_cast<size_t>(eq - entry) : std::strlen(entry);
    for (const auto& kv : overrides)
      if (kv.first.size() == len && std::memcmp(kv.first.data(), entry, len) == 0) return true;
    return false;
  };
  for (char** e = environ; e && *e; ++e)
    if (!overridden(*e)) p.envStore.emplace_back(*e);
  for (const auto& kv : overrides) p.envStore.push_back(kv.first + "=" + kv.second);
  for (auto& s : p.argvStore) p.argv.push_back(s.data());
  p.argv.push_back(nullptr);
  for (auto& s : p.envStore) p.envp.push_back(s.data());
  p.envp.push_back(nullptr);
  p.stdinFd = stdinFd;
  p.stdoutFd = stdoutFd;
  p.stderrFd = stderrFd;
  p.channelFd = channelFd;
  p.execErrorFd = execErrorFd;
  return p;
}

HostLaunch PosixProcessLauncher::launch(const std::string&, const HostLog& log) {
  Held lock(mu_);
  killLocked(lock, 0);  // one host per launcher; a relaunch never leaves the previous one running
  HostLaunch result;
  int sv[2], out[2], err[2], ex[2];
  // Every descriptor is close-on-exec (makeSocketPair, makePipe: atomically where the OS can).
  if (!makeSocketPair(sv, result.error)) return result;
  Fd shimEnd(sv[0]), hostEnd(sv[1]);
  if (!makePipe(out, result.error)) return result;
  Fd outRead(out[0]), outWrite(out[1]);
  if (!makePipe(err, result.error)) return result;
  Fd errRead(err[0]), errWrite(err[1]);
  if (!makePipe(ex, result.error)) return result;
  Fd exRead(ex[0]), exWrite(ex[1]);
  Fd devNull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (devNull.fd < 0) {
    result.error = "cannot open /dev/null: " + errnoText(errno);
    return result;
  }
  ChildPlan p = plan(devNull.fd, outWrite.fd, errWrite.fd, hostEnd.fd, exWrite.fd);

  pid_t pid = ::fork();
  if (pid < 0) {
    result.error = "fork failed: " + errnoText(errno);
    return result;
  }
  if (pid == 0) execChild(p);
  ::setpgid(pid, pid);  // also done by the child; whichever runs first wins the race
  live_.store(pid);
  hostEnd.reset();
  outWrite.reset();
  errWrite.reset();
  exWrite.reset();
  devNull.reset();

  int execErrno = 0;
  pollfd pf{exRead.fd, POLLIN, 0};
  int r;
  do {
    r = ::poll(&pf, 1, kExecWaitMs);
  } while (r < 0 && errno == EINTR);
  if (r > 0) {
    ssize_t n;
    do {
      n = ::read(exRead.fd, &execErrno, sizeof execErrno);
    } while (n < 0 && errno == EINTR);
    if (n != static_cast<ssize_t>(sizeof execErrno)) execErrno = 0;  // end of file: exec succeeded
  }
  std::string command = cmd_.node;
  for (const auto& a : cmd_.nodeArgs) command += " " + a;
  command += " " + cmd_.main + " --module " + cmd_.module;
  child_.emplace();
  child_->pid = pid;
  child_->started = Clock::now();
  child_->log = log;
  if (r == 0 || execErrno != 0) {
    result.error = r == 0 ? "the host process did not start within " + std::to_string(kExecWaitMs) + " ms"
                          : "cannot run " + cmd_.node + ": " + errnoText(execErrno);
    child_->log = nullptr;  // the error goes out through the caller; no exit line for a non-start
    killLocked(lock, 0);
    return result;
  }
  std::string header = "--- wsfc-resource: host process " + std::to_string(pid) + " started: " + command + "\n";
  child_->output = std::make_unique<HostOutput>(outRead.release(), errRead.release(), cmd_.logFile, cmd_.logMaxBytes, header, log);
  if (log) log(LOG_INFORMATION, "host process " + std::to_string(pid) + " started: " + command);
  result.stream = channel::makeFdStream(shimEnd.release());
  result.pid = pid;
  return result;
}

void PosixProcessLauncher::kill(uint32_t exitGraceMs) {
  Held lock(mu_);
  killLocked(lock, exitGraceMs);
}

bool PosixProcessLauncher::killTreeNow(int64_t pid) {
  signalling_.fetch_add(1);
  // Not reaped while signalling_ is up (retireLive), so a live_ that matches is still the host (a
  // zombie at worst) and its group still the host's group. kill(2) does not block.
  bool ours = pid > 0 && live_.load() == static_cast<pid_t>(pid);
  if (ours) {
    ::kill(-static_cast<pid_t>(pid), SIGKILL);
    ::kill(static_cast<pid_t>(pid), SIGKILL);  // in case it has not joined its own group yet
  }
  signalling_.fetch_sub(1);
  return ours;
}

void PosixProcessLauncher::retireLive() {
  live_.store(0);
  while (signalling_.load() != 0) std::this_thread::yield();
}

void PosixProcessLauncher::killLocked(const Held& lock, uint32_t exitGraceMs) {
  reapStragglers(lock);
  if (!child_) return;
  Child c = std::move(*child_);
  child_.reset();
  int status = 0;
  // A process closes its descriptors (the peer sees end of file) a moment before it becomes
  // reapable; a host that closed the channel itself gets that moment. Watched without reaping
  // (WNOWAIT): until retireLive() a Terminate may still kill its tree (killTreeNow).
  bool exited = false;
  auto graceUntil = Clock::now() + std::chrono::milliseconds(exitGraceMs);
  for (;;) {
    siginfo_t info;
    info.si_pid = 0;
    exited = ::waitid(P_PID, static_cast<id_t>(c.pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == c.pid;
    if (exited || Clock::now() >= graceUntil) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  retireLive();
  bool reaped = exited && ::waitpid(c.pid, &status, WNOHANG) == c.pid;
  bool killedByUs = !reaped;
  // The group too: whatever the host started dies with it, so no process is left behind.
  ::kill(-c.pid, SIGKILL);
  if (!reaped) ::kill(c.pid, SIGKILL);
  auto until = Clock::now() + kReapWait;
  while (!reaped && Clock::now() < until) {
    pid_t w = ::waitpid(c.pid, &status, WNOHANG);
    if (w == c.pid || (w < 0 && errno == ECHILD)) {
      reaped = w == c.pid;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  auto upMs = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - c.started).count();
  std::string how = !reaped        ? "did not exit within 2 s of SIGKILL; it will be reaped later"
                    : killedByUs ? "was killed by the shim (SIGKILL)"
                                 : describeStatus(status);
  std::string line = "host process " + std::to_string(c.pid) + " " + how + " after " + std::to_string(upMs) + " ms";
  if (c.output) c.output->stop("--- wsfc-resource: " + line + "\n");
  if (!reaped) unreaped_.push_back(c.pid);
  if (c.log) c.log(reaped ? LOG_INFORMATION : LOG_WARNING, line);
}

// A host that was stuck in the kernel when we gave up waiting: reap it once it is gone.
void PosixProcessLauncher::reapStragglers(const Held&) {
  for (auto it = unreaped_.begin(); it != unreaped_.end();) {
    int status;
    pid_t w = ::waitpid(*it, &status, WNOHANG);
    it = (w == *it || (w < 0 && errno == ECHILD)) ? unreaped_.erase(it) : it + 1;
  }
}

}  // namespace

std::shared_ptr<HostLauncher> makeProcessLauncher(HostCommand command) {
  return std::make_shared<PosixProcessLauncher>(std::move(command));
}

}  // namespace wsfc::shim
