// Native tests of the shim and the mock monitor without Node.js: lifecycle, Terminate during a
// hung handler, concurrent calls from many threads, and the in-process channel's ordering and
// end-of-stream. Built plain, with ASan+UBSan and with
// TSan by scripts/sanitize.sh, so memory errors, undefined behaviour and data races in the
// native threads show up. Prints "N passed, N failed".
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "channel/frame_connection.h"
#include "channel/inprocess_pipe.h"
#ifndef _WIN32
#include <sys/socket.h>
#include <unistd.h>

#include "channel/fd_stream_posix.h"
#endif
#include "monitor/monitor.h"
#include "protocol/messages.h"
#include "shim/core/shim_api.h"
#include "shim/core/shim_instance.h"
#include "shim/core/slot.h"
#include "shim/config/shim_config.h"
#include "fake_host.h"

using namespace wsfc;

namespace {

int passed = 0, failed = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      std::fprintf(stderr, "  check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      throw std::runtime_error("check failed");                               \
    }                                                                          \
  } while (0)

class Sink final : public monitor::EventSink {
 public:
  void onEvent(const monitor::Event& e) override {
    std::lock_guard<std::mutex> lock(mu);
    events.push_back(e);
  }
  std::vector<monitor::Event> snapshot() {
    std::lock_guard<std::mutex> lock(mu);
    return events;
  }
  int violations() {
    int n = 0;
    for (auto& e : snapshot())
      if (e.kind == "violation") {
        std::fprintf(stderr, "  violation %s: %s\n", e.name.c_str(), e.message.c_str());
        ++n;
      }
    return n;
  }
  double maxCallMs() {
    double m = 0;
    for (auto& e : snapshot())
      if (e.kind == "call" && e.durationMs > m) m = e.durationMs;
    return m;
  }

 private:
  std::mutex mu;
  std::vector<monitor::Event> events;
};

monitor::CallResult await(const std::function<void(monitor::Done)>& start) {
  auto p = std::make_shared<std::promise<monitor::CallResult>>();
  auto f = p->get_future();
  start([p](const monitor::CallResult& r) { p->set_value(r); });
  if (f.wait_for(std::chrono::seconds(10)) != std::future_status::ready) throw std::runtime_error("call did not settle");
  return f.get();
}

struct Fixture {
  std::shared_ptr<tests::FakeHost> host = std::make_shared<tests::FakeHost>();
  Sink sink;
  std::unique_ptr<monitor::Monitor> monitor;
  std::string type;

  Fixture(const std::string& typeName, DWORD version, monitor::Options opt = {}) : type(typeName) {
    shim::TypeConfig config;
    config.typeName = typeName;
    config.launcher = std::make_shared<tests::FakeLauncher>(host);
    config.mockPropertyStore = true;
    config.supervision.heartbeatIntervalMs = 0;  // the fake host does not heartbeat
    config.supervision.heartbeatTimeoutMs = 0;
    config.supervision.restartBackoffMinMs = 0;
    shim::registerTypeConfig(config);
    opt.resapiVersion = version;
    monitor = std::make_unique<monitor::Monitor>(monitor::Library{&Startup, &StartupEx}, opt, sink);
    CHECK(await([&](monitor::Done d) { monitor->startType(typeName, d); }).status == 0);
  }
  ~Fixture() {
    monitor->stop();
    shim::releaseType(type);
    shim::unregisterTypeConfig(type);
    host->stop();
  }
  uint64_t open(const std::string& name) {
    auto r = await([&](monitor::Done d) { monitor->open(type, name, {}, d); });
    CHECK(r.status == 0);
    return r.resource;
  }
  monitor::CallResult call(uint64_t id, monitor::Op op) {
    return await([&](monitor::Done d) { monitor->call(id, op, 0, {}, 0, d); });
  }
};

void lifecycle(DWORD version) {
  Fixture f(version == CLRES_VERSION_V1_00 ? "NativeV1" : "NativeV2", version);
  uint64_t id = f.open("r1");
  CHECK(f.call(id, monitor::Op::Online).state == "Online");
  CHECK(f.call(id, monitor::Op::LooksAlive).alive);
  CHECK(f.call(id, monitor::Op::IsAlive).alive);
  CHECK(f.call(id, monitor::Op::Offline).state == "Offline");
  f.call(id, monitor::Op::Close);
  CHECK(f.sink.violations() == 0);
  CHECK(f.sink.maxCallMs() < 300);
}

void terminateWhileHung() {
  Fixture f("NativeHung", CLRES_VERSION_V2_00);
  uint64_t id = f.open("h1");
  f.host->setBehaviour(tests::Behaviour::Hang);
  auto online = std::async(std::launch::async, [&] { return f.call(id, monitor::Op::Online); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto started = std::chrono::steady_clock::now();
  CHECK(f.call(id, monitor::Op::Terminate).state == "Offline");
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(260));
  CHECK(online.get().state == "Offline");
  // A hung health check answers from the cache within its deadline.
  f.host->setBehaviour(tests::Behaviour::Answer);
  CHECK(f.call(id, monitor::Op::Online).state == "Online");
  f.host->setBehaviour(tests::Behaviour::Hang);
  CHECK(f.call(id, monitor::Op::IsAlive).alive);
  f.host->setBehaviour(tests::Behaviour::Answer);
  CHECK(f.sink.violations() == 0);
}

void concurrentCalls() {
  monitor::Options opt;
  opt.threads = 8;
  opt.serializeCalls = false;  // let calls on one resource race into the shim's op mutex
  Fixture f("NativeStress", CLRES_VERSION_V2_00, opt);
  f.host->setBehaviour(tests::Behaviour::Slow);
  std::vector<uint64_t> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(f.open("s" + std::to_string(i)));
  std::atomic<int> done{0};
  std::vector<std::thread> callers;
  const monitor::Op ops[] = {monitor::Op::Online, monitor::Op::LooksAlive, monitor::Op::IsAlive,
                             monitor::Op::Offline, monitor::Op::Terminate, monitor::Op::Cancel};
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&, t] {
      for (int i = 0; i < 250; ++i) {
        f.call(ids[(t * 7 + i) % ids.size()], ops[(t + i) % 6]);
        ++done;
      }
    });
  }
  for (auto& c : callers) c.join();
  CHECK(done.load() == 1000);
  for (auto& e : f.sink.snapshot())
    CHECK(e.kind != "violation" || e.name == "overlapping-calls" || e.name == "status-outside-pending" ||
          e.name == "unexpected-state");  // the monitor's own bookkeeping under deliberate overlap
  CHECK(f.sink.maxCallMs() < 300);
}

// Records what one end of an in-process channel receives.
class Recorder final : public channel::FrameConnection::Handler {
 public:
  void onFrame(protocol::Frame&& f) override {
    std::lock_guard<std::mutex> lock(mu);
    requests.push_back(f.request);
  }
  void onClosed(const std::string& reason) override {
    std::lock_guard<std::mutex> lock(mu);
    closed.push_back(reason);
  }
  std::vector<uint32_t> seen() {
    std::lock_guard<std::mutex> lock(mu);
    return requests;
  }
  std::vector<std::string> closes() {
    std::lock_guard<std::mutex> lock(mu);
    return closed;
  }

 private:
  std::mutex mu;
  std::vector<uint32_t> requests;
  std::vector<std::string> closed;
};

bool waitFor(const std::function<bool()>& cond) {
  for (int i = 0; i < 2000 && !cond(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return cond();
}

protocol::Frame numbered(uint32_t request) {
  return protocol::encodeEmpty(protocol::FrameType::LooksAlive, 1, 1, request);
}

// Frames queued with send() (the Terminate path) and written inline with sendNow() (entry points)
// from several threads: each thread's frames arrive in the order it sent them, none is lost.
void inProcessChannelOrder() {
  Recorder shimSide, hostSide;
  auto pipe = channel::makeInProcessPipe();
  channel::FrameConnection host(hostSide), shim(shimSide);
  // Frames sent before start() wait in the queue, as the shim's Hello does.
  shim.send(numbered(1));
  host.start(std::move(pipe.second));
  shim.sendNow(numbered(2));  // not started: queued behind 1
  shim.start(std::move(pipe.first));
  constexpr uint32_t kThreads = 4, kEach = 500;
  std::vector<std::thread> senders;
  for (uint32_t t = 0; t < kThreads; ++t) {
    senders.emplace_back([&, t] {
      for (uint32_t i = 0; i < kEach; ++i) {
        uint32_t request = 1000 * (t + 1) + i;
        if (i % 3 == 0) {
          shim.send(numbered(request));
        } else {
          shim.sendNow(numbered(request));
        }
      }
    });
  }
  for (auto& s : senders) s.join();
  CHECK(waitFor([&] { return hostSide.seen().size() == 2 + kThreads * kEach; }));
  auto seen = hostSide.seen();
  CHECK(seen[0] == 1 && seen[1] == 2);
  uint32_t next[kThreads] = {};
  for (size_t i = 2; i < seen.size(); ++i) {
    uint32_t t = seen[i] / 1000 - 1;
    CHECK(t < kThreads);
    CHECK(seen[i] % 1000 == next[t]);
    ++next[t];
  }
  // The host answers inline too, from its side.
  host.sendNow(numbered(7));
  CHECK(waitFor([&] { return shimSide.seen().size() == 1; }));
  // Closing one end is end of stream for the other, at once; a stop is not news to its owner.
  host.stop();
  CHECK(waitFor([&] { return shimSide.closes().size() == 1; }));
  CHECK(shimSide.closes()[0] == channel::kClosedByPeer);
  shim.stop();
  CHECK(hostSide.closes().empty());
}

// A write that meets the peer's closed end says so, whichever stream it is: a host lost while the
// shim sends a heartbeat is "closed by peer", as when its reader meets the end of file first.
void writeToClosedPeer() {
  const uint8_t bytes[4] = {1, 2, 3, 4};
  auto pipe = channel::makeInProcessPipe();
  CHECK(pipe.first->write(bytes, sizeof bytes) == channel::WriteResult::Written);
  pipe.second->close();
  CHECK(pipe.first->write(bytes, sizeof bytes) == channel::WriteResult::PeerClosed);
#ifndef _WIN32
  int fds[2];
  CHECK(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
  auto stream = channel::makeFdStream(fds[0]);
  CHECK(stream->write(bytes, sizeof bytes) == channel::WriteResult::Written);
  ::close(fds[1]);  // the host's end, as when the host is killed
  CHECK(stream->write(bytes, sizeof bytes) == channel::WriteResult::PeerClosed);
  CHECK(stream->tryWrite(bytes, sizeof bytes) == channel::ByteStream::kPeerClosed);
  // Its reader sees the end too: the same loss, the same reason.
  Recorder recorder;
  channel::FrameConnection conn(recorder);
  conn.start(std::move(stream));
  conn.send(numbered(1));
  CHECK(waitFor([&] { return recorder.closes().size() == 1; }));
  CHECK(recorder.closes()[0] == channel::kClosedByPeer);
  conn.stop();
#endif
}

void run(const char* name, const std::function<void()>& test) {
  try {
    test();
    ++passed;
    std::printf("ok   %s\n", name);
  } catch (const std::exception& e) {
    ++failed;
    std::printf("FAIL %s (%s)\n", name, e.what());
  }
}

// Two copies of the DLL in one process (two nodes of a mock cluster): the same type started in
// each, each with its own host, resources and function table; releasing one leaves the other
// serving, and a type-level log line reaches only the monitor whose copy logged it.
void twoInstancesOneType() {
  struct Node {
    std::shared_ptr<tests::FakeHost> host = std::make_shared<tests::FakeHost>();
    shim::ShimInstance instance;
    Sink sink;
    std::unique_ptr<monitor::Monitor> monitor;
  };
  Node a, b;
  for (Node* n : {&a, &b}) {
    shim::TypeConfig config;
    config.typeName = "NativeTwice";
    config.launcher = std::make_shared<tests::FakeLauncher>(n->host);
    config.mockPropertyStore = true;
    config.supervision.heartbeatIntervalMs = 0;
    config.supervision.heartbeatTimeoutMs = 0;
    config.supervision.restartBackoffMinMs = 0;
    CHECK(n->instance.registerTypeConfig(config));
    CHECK(!n->instance.registerTypeConfig(config));  // once per instance
    shim::ShimInstance* instance = &n->instance;
    monitor::Library lib;
    lib.startupEx = [instance](LPCWSTR type, DWORD min, DWORD max, PCLRES_CALLBACK_FUNCTION_TABLE cb,
                               PCLRES_FUNCTION_TABLE* table) { return instance->startupEx(type, min, max, cb, table); };
    n->monitor = std::make_unique<monitor::Monitor>(lib, monitor::Options{}, n->sink);
    CHECK(await([&](monitor::Done d) { n->monitor->startType("NativeTwice", d); }).status == 0);
  }
  auto open = [](Node& n, const std::string& name) {
    auto r = await([&](monitor::Done d) { n.monitor->open("NativeTwice", name, {}, d); });
    CHECK(r.status == 0);
    return r.resource;
  };
  auto call = [](Node& n, uint64_t id, monitor::Op op) {
    return await([&](monitor::Done d) { n.monitor->call(id, op, 0, {}, 0, d); });
  };
  uint64_t ra = open(a, "r"), rb = open(b, "r");
  CHECK(call(a, ra, monitor::Op::Online).state == "Online");
  CHECK(call(b, rb, monitor::Op::Online).state == "Online");
  // The process-wide exports know nothing of either copy.
  CHECK(!shim::releaseType("NativeTwice"));
  CHECK(a.instance.releaseType("NativeTwice"));
  CHECK(!a.instance.releaseType("NativeTwice"));
  CHECK(call(b, rb, monitor::Op::IsAlive).alive);
  CHECK(call(b, rb, monitor::Op::Offline).state == "Offline");
  a.monitor->stop();
  b.monitor->stop();
  b.instance.releaseType("NativeTwice");
  // Each monitor heard its own copy's type-level lines (host ready) once, not the other's too.
  for (Node* n : {&a, &b}) {
    int ready = 0;
    for (auto& e : n->sink.snapshot())
      if (e.kind == "log" && e.resource.empty() && e.message == "host for resource type NativeTwice is ready") ++ready;
    CHECK(ready == 1);
    CHECK(n->sink.violations() == 0);
    n->host->stop();
  }
}

// A result is applied only to the operation it belongs to, in one atomic step, however the next
// operation's start interleaves with it (two threads: one starts operations, one completes the
// Online it last saw begin).
void slotPhaseMatchesResults() {
  using shim::SlotState;
  shim::SlotPhase phase;
  uint32_t online = phase.begin(SlotState::OnlinePending).generation;
  uint32_t offline = phase.begin(SlotState::OfflinePending).generation;
  CHECK(!phase.finish(online, SlotState::OnlinePending, SlotState::Online));
  CHECK(phase.state() == SlotState::OfflinePending);
  CHECK(phase.finish(offline, SlotState::OfflinePending, SlotState::Offline));
  CHECK(!phase.finish(offline, SlotState::OfflinePending, SlotState::Offline));
  auto [gen, before] = phase.begin(SlotState::Offline);  // Terminate
  CHECK(gen == offline + 1 && before == SlotState::Offline);
  CHECK(!phase.change(SlotState::Online, SlotState::Failed));

  std::atomic<uint32_t> lastOnline{0};
  std::atomic<bool> done{false};
  std::atomic<int> misapplied{0};
  std::thread completer([&] {
    while (!done.load()) {
      uint32_t g = lastOnline.load();
      if (!g || !phase.finish(g, SlotState::OnlinePending, SlotState::Online)) continue;
      // Only this thread makes a resource Online: Online at another generation is a result
      // that landed on a newer operation.
      auto now = phase.load();
      if (now.state == SlotState::Online && now.generation != g) ++misapplied;
    }
  });
  for (int i = 0; i < 200000; ++i) {
    lastOnline.store(phase.begin(SlotState::OnlinePending).generation);
    phase.begin(SlotState::OfflinePending);
  }
  done.store(true);
  completer.join();
  CHECK(misapplied.load() == 0);
  CHECK(phase.state() == SlotState::OfflinePending);
}

}  // namespace

int main() {
  run("lifecycle V1", [] { lifecycle(CLRES_VERSION_V1_00); });
  run("lifecycle V2", [] { lifecycle(CLRES_VERSION_V2_00); });
  run("terminate while the host hangs", terminateWhileHung);
  run("1000 concurrent calls from 4 threads, 8 monitor threads", concurrentCalls);
  run("in-process channel: order across send and sendNow, end of stream", inProcessChannelOrder);
  run("a write to a closed peer is told apart from other failures", writeToClosedPeer);
  run("two shim instances serve the same type independently", twoInstancesOneType);
  run("a result lands only on its own operation", slotPhaseMatchesResults);
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
