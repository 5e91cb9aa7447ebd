// Windows host launch: two anonymous pipes, the host's ends passed to CreateProcessW through
// PROC_THREAD_ATTRIBUTE_HANDLE_LIST (it inherits those, its stdout and stderr pipes and NUL as
// stdin, nothing else),
// their values named in WSFC_CHANNEL_FD as "read,write". No console window (CREATE_NO_WINDOW);
// the host runs in a job object that kills it when the job handle closes, so a host never
// outlives RHS, and kill() ends it at once with TerminateJobObject.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "channel/pipe_stream_win.h"
#include "host_output.h"
#include "process_launcher.h"
#include "common/text.h"

namespace wsfc::shim {

namespace {

struct Handle {
  HANDLE h = nullptr;
  Handle() = default;
  explicit Handle(HANDLE x) : h(x) {}
  ~Handle() { reset(); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  void reset(HANDLE x = nullptr) {
    if (h && h != INVALID_HANDLE_VALUE) CloseHandle(h);
    h = x;
  }
  HANDLE release() {
    HANDLE x = h;
    h = nullptr;
    return x;
  }
};

using Clock = std::chrono::steady_clock;

// The system's text for a Win32 error, then its number: "The system cannot find the file
// specified. (Win32 error 2)".
std::string describeError(DWORD e) {
  wchar_t* text = nullptr;
  DWORD n = FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                           nullptr, e, 0, reinterpret_cast<wchar_t*>(&text), 0, nullptr);
  std::string out;
  if (n && text) {
    out = toUtf8(std::wstring(text, n));
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' ')) out.pop_back();
    out += " ";
  }
  if (text) LocalFree(text);
  return out + "(Win32 error " + std::to_string(e) + ")";
}

std::string lastError(const char* what) { return std::string(what) + " failed: " + describeError(GetLastError()); }

// CommandLineToArgvW's quoting rules, so node sees exactly the argument strings we mean.
std::wstring quoteArg(const std::wstring& a) {
  if (!a.empty() && a.find_first_of(L" \t\n\v\"") == std::wstring::npos) return a;
  std::wstring q = L"\"";
  for (size_t i = 0;; ++i) {
    size_t slashes = 0;
    while (i < a.size() && a[i] == L'\\') {
      ++i;
      ++slashes;
    }
    if (i == a.size()) {
      q.append(slashes * 2, L'\\');
      break;
    }
    if (a[i] == L'"') {
      q.append(slashes * 2 + 1, L'\\');
      q.push_back(L'"');
    } else {
      q.append(slashes, L'\\');
      q.push_back(a[i]);
    }
  }
  q.push_back(L'"');
  return q;
}

// The current environment with our variables replacing any of the same name, as the
// NUL-separated, double-NUL-terminated block CreateProcessW takes.
std::wstring environmentBlock(const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::wstring> vars;
  if (wchar_t* env = GetEnvironmentStringsW()) {
    for (wchar_t* p = env; *p; p += wcslen(p) + 1) {
      std::wstring v(p);
      bool replaced = false;
      for (const auto& kv : extra) {
        std::wstring prefix = toUtf16(kv.first) + L"=";
        if (_wcsnicmp(v.c_str(), prefix.c_str(), prefix.size()) == 0) replaced = true;
      }
      if (!replaced) vars.push_back(v);
    }
    FreeEnvironmentStringsW(env);
  }
  for (const auto& kv : extra) vars.push_back(toUtf16(kv.first) + L"=" + toUtf16(kv.second));
  std::wstring block;
  for (const auto& v : vars) {
    block += v;
    block.push_back(L'\0');
  }
  block.push_back(L'\0');
  return block;
}

class WinProcessLauncher final : public HostLauncher {
 public:
  explicit WinProcessLauncher(HostCommand command) : command_(std::move(command)) {}
  ~WinProcessLauncher() override { kill(0); }
  HostLaunch launch(const std::string& typeName, const HostLog& log) override;
  void kill(uint32_t exitGraceMs) override;
  bool killTreeNow(int64_t pid) override;

 private:
  void killLocked(uint32_t exitGraceMs);

  const HostCommand command_;
  std::mutex mu_;
  Handle job_, process_;
  // job_ as killTreeNow() may use it: cleared, and its users waited out, before the handle closes.
  std::atomic<HANDLE> liveJob_{nullptr};
  std::atomic<DWORD> livePid_{0};
  std::atomic<int> signalling_{0};
  DWORD pid_ = 0;
  Clock::time_point started_;
  HostLog log_;
  std::unique_ptr<HostOutput> output_;
};

HostLaunch WinProcessLauncher::launch(const std::string&, const HostLog& log) {
  std::lock_guard<std::mutex> lock(mu_);
  killLocked(0);  // one host per launcher; a relaunch never leaves the previous one running
  HostLaunch result;
  // Every handle is created non-inheritable. The host's ends become inheritable only for the
  // CreateProcessW call below (which passes them in its handle list): a process another thread
  // of RHS starts meanwhile with bInheritHandles and no list would inherit whatever is inheritable
  // then, and a stray copy of a host's write end keeps its pipe from ever reporting the host's death.
  // toHost: shim writes, host reads. toShim: host writes, shim reads.
  Handle toHostRead, toHostWrite, toShimRead, toShimWrite;
  if (!CreatePipe(&toHostRead.h, &toHostWrite.h, nullptr, 64 * 1024) ||
      !CreatePipe(&toShimRead.h, &toShimWrite.h, nullptr, 64 * 1024)) {
    result.error = lastError("CreatePipe");
    return result;
  }

  // stdout and stderr: pipes the shim reads (host_output_win.cc), so the log file stays bounded
  // and lines reach the cluster log, as on POSIX. The host gets their write ends.
  Handle outRead, outWrite, errRead, errWrite;
  if (!CreatePipe(&outRead.h, &outWrite.h, nullptr, 64 * 1024) ||
      !CreatePipe(&errRead.h, &errWrite.h, nullptr, 64 * 1024)) {
    result.error = lastError("CreatePipe");
    return result;
  }
  Handle nulIn(CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING, 0, nullptr));

  std::vector<HANDLE> inherit{toHostRead.h, toShimWrite.h, outWrite.h, errWrite.h, nulIn.h};
  SIZE_T attrSize = 0;
  InitializeProcThreadAttributeList(nullptr, 1, 0, &attrSize);
  std::vector<uint8_t> attrBuf(attrSize);
  auto* attrs = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(attrBuf.data());
  if (!InitializeProcThreadAttributeList(attrs, 1, 0, &attrSize) ||
      !UpdateProcThreadAttribute(attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherit.data(),
                                 inherit.size() * sizeof(HANDLE), nullptr, nullptr)) {
    result.error = lastError("UpdateProcThreadAttribute");
    return result;
  }

  auto env = command_.env;
  // Handle values fit in 32 bits on 64-bit Windows; the host parses "read,write".
  env.emplace_back(kChannelEnvVar, std::to_string(reinterpret_cast<uintptr_t>(toHostRead.h)) + "," +
                                       std::to_string(reinterpret_cast<uintptr_t>(toShimWrite.h)));
  std::wstring block = environmentBlock(env);
  std::wstring cmd = quoteArg(toUtf16(command_.node));
  for (const auto& a : command_.nodeArgs) cmd += L" " + quoteArg(toUtf16(a));
  cmd += L" " + quoteArg(toUtf16(command_.main)) + L" --module " + quoteArg(toUtf16(command_.module));

  STARTUPINFOEXW si{};
  si.StartupInfo.cb = sizeof(si);
  si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  si.StartupInfo.hStdInput = nulIn.h;
  si.StartupInfo.hStdOutput = outWrite.h;
  si.StartupInfo.hStdError = errWrite.h;
  si.lpAttributeList = attrs;
  PROCESS_INFORMATION pi{};
  Handle job(CreateJobObjectW(nullptr, nullptr));
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits{};
  limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
  if (!job.h || !SetInformationJobObject(job.h, JobObjectExtendedLimitInformation, &limits, sizeof(limits))) {
    DeleteProcThreadAttributeList(attrs);
    result.error = lastError("CreateJobObject");
    return result;
  }
  // A handle list may name inheritable handles only (UpdateProcThreadAttribute,
  // PROC_THREAD_ATTRIBUTE_HANDLE_LIST): inheritable for this call, and not a moment longer.
  auto setInherit = [&](DWORD flag) {
    for (HANDLE h : inherit) SetHandleInformation(h, HANDLE_FLAG_INHERIT, flag);
  };
  setInherit(HANDLE_FLAG_INHERIT);
  BOOL created = CreateProcessW(nullptr, cmd.data(), nullptr, nullptr, TRUE,
                                CREATE_NO_WINDOW | CREATE_UNICODE_ENVIRONMENT | CREATE_SUSPENDED |
                                    EXTENDED_STARTUPINFO_PRESENT,
                                block.data(), nullptr, &si.StartupInfo, &pi);
  DWORD createError = GetLastError();
  setInherit(0);
  DeleteProcThreadAttributeList(attrs);
  if (!created) {
    result.error = "cannot run " + command_.node + ": " + describeError(createError);
    return result;
  }
  // In the job before it runs a single instruction, so nothing it starts escapes the job.
  if (!AssignProcessToJobObject(job.h, pi.hProcess)) {
    TerminateProcess(pi.hProcess, 1);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    result.error = lastError("AssignProcessToJobObject");
    return result;
  }
  ResumeThread(pi.hThread);
  CloseHandle(pi.hThread);
  process_.reset(pi.hProcess);
  job_.reset(job.release());
  liveJob_.store(job_.h);
  livePid_.store(pi.dwProcessId);
  pid_ = pi.dwProcessId;
  started_ = Clock::now();
  log_ = log;
  // Our copies of the host's ends must go, or the pipes never report the host's death.
  toHostRead.reset();
  toShimWrite.reset();
  outWrite.reset();
  errWrite.reset();
  std::string header = "--- wsfc-resource: host process " + std::to_string(pid_) + " started: " + toUtf8(cmd) + "\n";
  output_ = std::make_unique<HostOutput>(outRead.release(), errRead.release(), command_.logFile, command_.logMaxBytes,
                                         header, log);
  result.stream = channel::makePipeStream(toShimRead.release(), toHostWrite.release());
  result.pid = pid_;
  if (log) log(LOG_INFORMATION, "host process " + std::to_string(pid_) + " started: " + toUtf8(cmd));
  return result;
}

void WinProcessLauncher::kill(uint32_t exitGraceMs) {
  std::lock_guard<std::mutex> lock(mu_);
  killLocked(exitGraceMs);
}

// TerminateJobObject ends every process in the job: the host and whatever it started (a child
// cannot leave the job: the job does not allow breakaway). It does not wait for them.
bool WinProcessLauncher::killTreeNow(int64_t pid) {
  signalling_.fetch_add(1);
  // The job handle stays open while signalling_ is up (killLocked waits), and it is the job of
  // `pid` as long as livePid_ says so.
  bool ours = pid > 0 && livePid_.load() == static_cast<DWORD>(pid);
  HANDLE job = ours ? liveJob_.load() : nullptr;
  if (job) TerminateJobObject(job, 1);
  signalling_.fetch_sub(1);
  return job != nullptr;
}

void WinProcessLauncher::killLocked(uint32_t exitGraceMs) {
  if (!process_.h) return;
  // A host already on its way out (it closed the channel) may finish, so its own exit code is
  // the one reported. Meanwhile a Terminate may still end its job (killTreeNow).
  if (exitGraceMs) WaitForSingleObject(process_.h, exitGraceMs);
  livePid_.store(0);
  liveJob_.store(nullptr);
  while (signalling_.load() != 0) std::this_thread::yield();
  DWORD code = STILL_ACTIVE;
  bool exited = GetExitCodeProcess(process_.h, &code) && code != STILL_ACTIVE;
  // Even after the host exited on its own: what it started must not outlive it.
  TerminateJobObject(job_.h, 1);
  // TerminateJobObject cannot be refused; a process that outlives this is stuck in the kernel.
  bool gone = WaitForSingleObject(process_.h, 2000) == WAIT_OBJECT_0;
  auto upMs = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_).count();
  // The POSIX launcher's words, with Windows' facts: no signals, an exit code (a process ended
  // by TerminateProcess from outside exits with the code it was given: node's kill() gives 1).
  std::string how = !gone    ? "did not exit within 2 s of TerminateJobObject"
                    : exited ? "exited with code " + std::to_string(code)
                             : std::string("was killed by the shim (TerminateJobObject)");
  std::string line = "host process " + std::to_string(pid_) + " " + how + " after " + std::to_string(upMs) + " ms";
  // What the host printed up to its end, before the line that says it ended.
  if (output_) output_->stop("--- wsfc-resource: " + line + "\n");
  output_.reset();
  if (log_) log_(exited ? LOG_INFORMATION : LOG_WARNING, line);
  log_ = nullptr;
  process_.reset();
  job_.reset();
  pid_ = 0;
}

}  // namespace

std::shared_ptr<HostLauncher> makeProcessLauncher(HostCommand command) {
  return std::make_shared<WinProcessLauncher>(std::move(command));
}

}  // namespace wsfc::shim
