#include "host_link.h"

#include <algorithm>

#include "protocol/messages.h"
#include "common/deadline.h"

namespace wsfc::shim {

namespace {
// How often the supervisor looks at heartbeats, deadlines and the backoff.
constexpr uint32_t kTickMs = 50;

int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}
}  // namespace

HostLink::HostLink(const TypeConfig& config, uint32_t resapiVersion, Listener& listener)
    : typeName_(config.typeName),
      manifestJson_(config.manifestJson),
      resapiVersion_(resapiVersion),
      launcher_(config.launcher),
      sup_(config.supervision),
      listener_(listener) {}

HostLink::~HostLink() { stop(); }

void HostLink::start() {
  supervisor_ = std::thread([this] { supervise(); });
}

void HostLink::stop() {
  if (stopping_.exchange(true)) {
    if (supervisor_.joinable()) supervisor_.join();
    return;
  }
  {
    std::lock_guard<std::mutex> lock(launchMu_);  // a waiter in ensureHost sees stopping_ or this
  }
  dropped_.notify_all();
  wake_.post();
  if (supervisor_.joinable()) supervisor_.join();
  conn_.store(nullptr);
  std::lock_guard<std::mutex> lock(launchMu_);
  for (auto& c : connections_) c->stop();
  if (launcher_) launcher_->kill(0);
  state_.store(State::Stopped);
}

void HostLink::ensureHost(const std::function<void(channel::FrameConnection&)>& backlog, const Deadline& dyingWait) {
  std::unique_lock<std::mutex> lock(launchMu_);
  dropped_.wait_until(lock, dyingWait.at, [this] { return stopping_.load() || !hostDying(); });
  if (stopping_.load() || conn_.load()) return;
  auto c = std::make_unique<channel::FrameConnection>(*this);
  protocol::HelloMsg hello;
  hello.typeName = typeName_;
  hello.resapiVersion = resapiVersion_;
  hello.manifest = manifestJson_;
  c->send(protocol::encode(hello));
  if (backlog) backlog(*c);
  readyNs_.store(0);
  state_.store(State::Connecting);
  epoch_.fetch_add(1);
  conn_.store(c.get());
  connections_.push_back(std::move(c));
  launchWanted_.store(true);
  wake_.post();
}

void HostLink::send(protocol::Frame&& f) {
  if (auto* c = conn_.load()) c->send(std::move(f));
}

void HostLink::sendNow(protocol::Frame&& f) {
  if (auto* c = conn_.load()) c->sendNow(std::move(f));
}

bool HostLink::hostInProcess() const {
  auto* c = conn_.load();
  return c && c->inMemory();
}

int64_t HostLink::silentForMs() const { return (nowNs() - lastHostFrameNs_.load()) / 1000000; }

bool HostLink::responsive() const {
  if (sup_.heartbeatIntervalMs == 0 || state_.load() != State::Ready) return true;
  return silentForMs() <= 2 * static_cast<int64_t>(sup_.heartbeatIntervalMs);
}

void HostLink::onFrame(protocol::Frame&& f) {
  lastHostFrameNs_.store(nowNs());
  // Liveness only, and valid before the handshake too: a host heartbeats while its module loads.
  if (f.type == protocol::FrameType::Heartbeat) return;
  if (f.type == protocol::FrameType::HelloAck) {
    protocol::HelloAckMsg ack;
    if (!protocol::decode(f, ack)) {
      onClosed("host sent a malformed handshake answer");
      return;
    }
    if (ack.typeName != typeName_) {
      onClosed(ack.typeName.empty() ? "host refused the handshake: " + ack.hostInfo
                                    : "host answered the handshake for type '" + ack.typeName + "', expected '" + typeName_ + "'");
      return;
    }
    int64_t now = nowNs();
    readyNs_.store(now);
    state_.store(State::Ready);
    if (pid_.load() != 0)
      listener_.onHostLog(LOG_INFORMATION, "host process " + std::to_string(pid_.load()) + " ready " +
                                               std::to_string((now - launchedNs_.load()) / 1000000) + " ms after launch (" +
                                               ack.hostInfo + ")");
    listener_.onHostReady();
    return;
  }
  if (state_.load() != State::Ready) {
    onClosed(std::string("host sent ") + protocol::frameTypeName(f.type) + " before the handshake");
    return;
  }
  listener_.onHostFrame(std::move(f));
}

void HostLink::onClosed(const std::string& reason) {
  {
    std::lock_guard<std::mutex> lock(lostMu_);
    if (lostReason_.empty()) lostReason_ = reason;
  }
  lost_.store(true);
  wake_.post();
}

void HostLink::sweepIfLost(uint64_t epoch) {
  if (lostEpoch_.load() < epoch) return;
  sweepWanted_.store(true);
  wake_.post();
}

void HostLink::killForTerminate(uint64_t epoch) {
  // The reason first: the end of file the kill causes must not be reported as a loss of its own.
  bool current = epoch == epoch_.load() && conn_.load();
  if (current) {
    dyingEpoch_.store(epoch);
    terminateKillEpoch_.store(epoch);
  }
  uint64_t launched = launchedHost_.load();
  auto pid = static_cast<int64_t>(launched & 0xFFFFFFFFu);
  if (launcher_ && pid != 0 && (launched >> 32) == (epoch & 0xFFFFFFFFu)) launcher_->killTreeNow(pid);
  if (current) wake_.post();
}

bool HostLink::hostDying() const {
  uint64_t epoch = epoch_.load();
  return epoch != 0 && dyingEpoch_.load() == epoch && conn_.load() != nullptr;
}

void HostLink::dropConnection(const std::string& why) {
  channel::FrameConnection* c;
  uint64_t lost;
  {
    std::lock_guard<std::mutex> lock(launchMu_);
    // Marked before the connection goes, so a request that reads the epoch from here on sees
    // its host lost (sweepIfLost) even if it is tracked after onHostLost took the others.
    lost = epoch_.load();
    lostEpoch_.store(lost);
    c = conn_.exchange(nullptr);
    state_.store(State::Down);
    pid_.store(0);
    started_.store(false);
  }
  dropped_.notify_all();  // an ensureHost waiting for a dying host can start the next one now
  launchDue_ = false;
  launched_ = false;
  if (c) c->stop();
  // A loss the connection reported while we dropped it for another reason is the same loss; the
  // next connection is only launched by this thread, so nothing newer can be in the flag yet.
  lost_.store(false);
  {
    std::lock_guard<std::mutex> lock(lostMu_);
    lostReason_.clear();
  }
  if (launcher_) launcher_->kill(why == channel::kClosedByPeer ? sup_.exitGraceMs : 0);
  // Backoff: a host that ran for a while earns an immediate restart; one that keeps failing
  // quickly (bad module, bad node path, crash on start) is retried ever more slowly.
  int64_t ready = readyNs_.exchange(0);
  bool stable = ready != 0 && (nowNs() - ready) / 1000000 >= static_cast<int64_t>(sup_.stableAfterMs);
  quickFailures_ = stable ? 1 : quickFailures_ + 1;
  uint32_t delay = 0;
  if (quickFailures_ >= 2 && sup_.restartBackoffMinMs > 0) {
    uint64_t d = static_cast<uint64_t>(sup_.restartBackoffMinMs) << std::min(quickFailures_ - 2, 20u);
    delay = static_cast<uint32_t>(std::min<uint64_t>(d, sup_.restartBackoffMaxMs));
  }
  notBefore_ = Clock::now() + std::chrono::milliseconds(delay);
  listener_.onHostLost(why, lost);
  if (delay > 0)
    listener_.onHostLog(LOG_WARNING, "the next host start waits " + std::to_string(delay) + " ms (" +
                                         std::to_string(quickFailures_) + " host failures in a row)");
}

void HostLink::launchNow() {
  launchDue_ = false;
  if (!conn_.load()) return;
  auto* c = conn_.load();
  HostLaunch launched;
  launchedNs_.store(nowNs());
  lastHostFrameNs_.store(nowNs());
  try {
    HostLog log = [this](LOG_LEVEL level, const std::string& line) { listener_.onHostLog(level, line); };
    launched = launcher_ ? launcher_->launch(typeName_, log) : HostLaunch{nullptr, "no host launcher", 0};
  } catch (const std::exception& e) {
    launched.error = e.what();
  } catch (...) {
    launched.error = "host launcher failed";
  }
  if (!launched.stream) {
    dropConnection("host did not start: " + launched.error);
    return;
  }
  pid_.store(launched.pid);
  started_.store(true);
  launchedHost_.store(((epoch_.load() & 0xFFFFFFFFu) << 32) | (static_cast<uint64_t>(launched.pid) & 0xFFFFFFFFu));
  launched_ = true;
  lastHostFrameNs_.store(nowNs());
  c->start(std::move(launched.stream));
}

// Missed heartbeats and a missing handshake end the host; a ready host gets our heartbeats.
void HostLink::checkHealth() {
  auto st = state_.load();
  int64_t silent = silentForMs();
  if (st == State::Connecting && launched_ && sup_.startTimeoutMs > 0 && silent >= 0 &&
      (nowNs() - launchedNs_.load()) / 1000000 > static_cast<int64_t>(sup_.startTimeoutMs)) {
    dropConnection("host did not answer the handshake within " + std::to_string(sup_.startTimeoutMs) + " ms");
    return;
  }
  if (st == State::Ready && sup_.heartbeatTimeoutMs > 0 && silent > static_cast<int64_t>(sup_.heartbeatTimeoutMs)) {
    dropConnection("host sent nothing for " + std::to_string(silent) + " ms (heartbeat timeout " +
                   std::to_string(sup_.heartbeatTimeoutMs) + " ms: its event loop is blocked or busy); killed it");
    return;
  }
  auto now = Clock::now();
  if (st == State::Ready && sup_.heartbeatIntervalMs > 0 &&
      now - lastBeat_ >= std::chrono::milliseconds(sup_.heartbeatIntervalMs)) {
    lastBeat_ = now;
    send(protocol::encodeEmpty(protocol::FrameType::Heartbeat, 0, 0, 0));
  }
}

void HostLink::supervise() {
  while (!stopping_.load()) {
    if (launchWanted_.exchange(false)) launchDue_ = true;
    if (launchDue_ && Clock::now() >= notBefore_) {
      launchNow();
      continue;
    }
    wake_.waitFor(kTickMs);
    // Before a loss the kill itself caused (end of file) is reported under a vaguer reason. The
    // loss flag is read first: killForTerminate marks the kill before it kills, so a loss the
    // kill caused always finds the mark (read the other way round, an end of file that arrived
    // between the two reads was reported as "channel closed by peer", as seen under Windows node).
    bool lost = lost_.exchange(false);
    uint64_t killed = terminateKillEpoch_.exchange(0);
    if (killed != 0 && killed == epoch_.load() && conn_.load()) {
      dropConnection("the host did not acknowledge Terminate within its deadline; it was killed with everything it started");
      continue;
    }
    if (lost) {
      std::string why;
      {
        std::lock_guard<std::mutex> lock(lostMu_);
        why.swap(lostReason_);
      }
      if (conn_.load()) dropConnection(why);
      continue;
    }
    if (sweepWanted_.exchange(false)) listener_.onStaleRequests(lostEpoch_.load());
    if (conn_.load()) checkHealth();
  }
}

}  // namespace wsfc::shim
