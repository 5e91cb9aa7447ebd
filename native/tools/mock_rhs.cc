// mock-rhs <library> <type>: loads a resource library the way RHS does (dlopen + Startup/StartupEx)
// and drives it with the mock monitor (native/monitor) from commands read as JSON lines on stdin;
// every monitor event and every command's result is printed as one JSON line on stdout.
//
//   {"id":1,"op":"open","name":"r1","properties":"<hex property list>"}
//   {"id":2,"op":"online","resource":"r1"}        also offline terminate close looksAlive isAlive cancel
//   {"id":3,"op":"control","resource":"r1","code":16777345,"input":"<hex>","outputSize":65536}
//   {"id":4,"op":"typeControl","code":...,"input":"<hex>","outputSize":65536}
//   {"id":5,"op":"sleep","ms":100}
// A command waits for its result before the next line is read unless it says "async":true.
// Output: {"startup":{...}} first, then {"event":{...}} and {"id":N,...} lines, and {"done":{...}}
// once stdin ends and everything was stopped and unloaded.

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "monitor/monitor.h"
#include "common/json.h"
#include "platform/library_loader.h"

using namespace wsfc;

namespace {

const char* kUsage =
    "usage: mock-rhs [--resapi v1|v2] [--call-limit-ms N] [--pending-timeout-ms N] [--polling LOOKS,IS]\n"
    "                [--restart THRESHOLD,PERIOD_MS,DELAY_MS] [--threads N] [--command-timeout-ms N]\n"
    "                <library> <type>\n";

std::mutex gOutMu;
void printLine(const json::Value& v) {
  std::string s = json::serialize(v);
  std::lock_guard<std::mutex> lock(gOutMu);
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

double micros(double ms) { return static_cast<double>(static_cast<long long>(ms * 1000.0 + 0.5)) / 1000.0; }

std::string toHex(const std::vector<uint8_t>& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (uint8_t b : bytes) {
    s.push_back(digits[b >> 4]);
    s.push_back(digits[b & 15]);
  }
  return s;
}

bool fromHex(const std::string& s, std::vector<uint8_t>& out) {
  if (s.size() % 2) return false;
  out.clear();
  for (size_t i = 0; i < s.size(); i += 2) {
    auto nib = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1; };
    int hi = nib(s[i]), lo = nib(s[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return true;
}

class PrintSink final : public monitor::EventSink {
 public:
  void onEvent(const monitor::Event& e) override {
    json::Value ev = json::makeObject();
    json::add(ev, "at", json::makeNumber(micros(e.atMs)));
    json::add(ev, "resource", json::makeString(e.resource));
    json::add(ev, "kind", json::makeString(e.kind));
    json::add(ev, "name", json::makeString(e.name));
    if (e.durationMs >= 0) json::add(ev, "durationMs", json::makeNumber(micros(e.durationMs)));
    json::add(ev, "result", json::makeNumber(static_cast<double>(e.result)));
    if (e.level >= 0) json::add(ev, "level", json::makeNumber(e.level));
    if (!e.message.empty()) json::add(ev, "message", json::makeString(e.message));
    if (e.code >= 0) json::add(ev, "code", json::makeNumber(static_cast<double>(e.code)));
    json::Value line = json::makeObject();
    json::add(line, "event", std::move(ev));
    printLine(line);
  }
};

// One command's completion, waited for by the main thread (with a deadline) or not at all.
struct Completion {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  monitor::CallResult result;
};

class Driver {
 public:
  Driver(monitor::Monitor& m, std::string type, uint32_t commandTimeoutMs)
      : m_(m), type_(std::move(type)), commandTimeoutMs_(commandTimeoutMs) {}

  void run(const std::string& line);
  // Waits (bounded) for async commands still running; false if some did not finish.
  bool drain(uint32_t timeoutMs);

 private:
  void fail(const json::Value* id, const std::string& why) {
    json::Value o = json::makeObject();
    if (id) json::add(o, "id", *id);
    json::add(o, "error", json::makeString(why));
    printLine(o);
  }
  monitor::Done finisher(json::Value id, std::string op, std::shared_ptr<Completion> c, const std::string& resource);
  void wait(const json::Value& id, const std::shared_ptr<Completion>& c);

  monitor::Monitor& m_;
  const std::string type_;
  const uint32_t commandTimeoutMs_;
  std::map<std::string, uint64_t> resources_;
  std::mutex mu_;
  std::condition_variable cv_;
  size_t running_ = 0;
};

monitor::Done Driver::finisher(json::Value id, std::string op, std::shared_ptr<Completion> c, const std::string& resource) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++running_;
  }
  return [this, id, op, c, resource](const monitor::CallResult& r) {
    json::Value o = json::makeObject();
    json::add(o, "id", id);
    json::add(o, "op", json::makeString(op));
    if (!resource.empty()) json::add(o, "resource", json::makeString(resource));
    json::add(o, "status", json::makeNumber(r.status));
    if (!r.state.empty()) json::add(o, "state", json::makeString(r.state));
    if (op == "looksAlive" || op == "isAlive") json::add(o, "alive", json::makeBool(r.alive));
    if (op == "control" || op == "typeControl") {
      json::add(o, "output", json::makeString(toHex(r.output)));
      json::add(o, "bytes", json::makeNumber(static_cast<double>(r.resource)));
    }
    printLine(o);
    {
      std::lock_guard<std::mutex> lock(c->mu);
      c->done = true;
      c->result = r;
    }
    c->cv.notify_all();
    {
      std::lock_guard<std::mutex> lock(mu_);
      --running_;
    }
    cv_.notify_all();
  };
}

void Driver::wait(const json::Value& id, const std::shared_ptr<Completion>& c) {
  std::unique_lock<std::mutex> lock(c->mu);
  if (!c->cv.wait_for(lock, std::chrono::milliseconds(commandTimeoutMs_), [&] { return c->done; }))
    fail(&id, "no result within " + std::to_string(commandTimeoutMs_) + " ms; reading the next command");
}

bool Driver::drain(uint32_t timeoutMs) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return running_ == 0; });
}

void Driver::run(const std::string& line) {
  json::Value cmd;
  std::string error;
  if (!json::parse(line, cmd, error)) return fail(nullptr, "not a JSON command: " + error);
  if (!cmd.isObject()) return fail(nullptr, "a command is a JSON object");
  json::Value id = cmd.find("id") ? *cmd.find("id") : json::Value{};
  const json::Value* opv = cmd.find("op");
  if (!opv || !opv->isString()) return fail(&id, "missing \"op\"");
  const std::string& op = opv->string;
  bool async = cmd.find("async") && cmd.find("async")->isBool() && cmd.find("async")->boolean;
  auto str = [&](const char* k) { const json::Value* v = cmd.find(k); return v && v->isString() ? v->string : std::string(); };
  auto num = [&](const char* k, double fallback) { const json::Value* v = cmd.find(k); return v && v->isNumber() ? v->number : fallback; };

  if (op == "sleep") {
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int64_t>(num("ms", 0))));
    return;
  }
  std::vector<uint8_t> input;
  if (!fromHex(str(op == "open" ? "properties" : "input"), input)) return fail(&id, "bad hex");
  auto c = std::make_shared<Completion>();
  if (op == "open") {
    std::string name = str("name");
    if (name.empty()) return fail(&id, "open needs \"name\"");
    m_.open(type_, name, input, finisher(id, op, c, name));
    wait(id, c);  // later commands need the resource's id
    std::lock_guard<std::mutex> lock(c->mu);
    if (c->done && c->result.status == 0) resources_[name] = c->result.resource;
    return;
  }
  if (op == "typeControl") {
    m_.typeControl(type_, static_cast<DWORD>(num("code", 0)), input, static_cast<uint32_t>(num("outputSize", 65536)),
                   finisher(id, op, c, ""));
  } else {
    static const std::map<std::string, monitor::Op> ops = {
        {"online", monitor::Op::Online},         {"offline", monitor::Op::Offline}, {"terminate", monitor::Op::Terminate},
        {"close", monitor::Op::Close},           {"looksAlive", monitor::Op::LooksAlive}, {"isAlive", monitor::Op::IsAlive},
        {"control", monitor::Op::Control},       {"cancel", monitor::Op::Cancel}};
    auto it = ops.find(op);
    if (it == ops.end()) return fail(&id, "unknown op '" + op + "'");
    std::string res = str("resource");
    auto r = resources_.find(res);
    if (r == resources_.end()) return fail(&id, "unknown resource '" + res + "' (open it first)");
    m_.call(r->second, it->second, static_cast<DWORD>(num("code", 0)), input,
            static_cast<uint32_t>(num("outputSize", 65536)), finisher(id, op, c, res));
  }
  if (!async) wait(id, c);
}

bool parseU32(const char* s, uint32_t& out) {
  char* end = nullptr;
  unsigned long v = std::strtoul(s, &end, 10);
  if (!end || *end || v > 0xFFFFFFFFul) return false;
  out = static_cast<uint32_t>(v);
  return true;
}

}  // namespace

int main(int rawArgc, char** rawArgv) {
  const std::vector<std::string> args = platform::utf8Arguments(rawArgc, rawArgv);
  const int argc = static_cast<int>(args.size());
  monitor::Options opt;
  uint32_t commandTimeoutMs = 300000;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string a = args[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? args[++i].c_str() : nullptr; };
    const char* v = nullptr;
    bool ok = true;
    if (a == "--resapi" && (v = value())) {
      opt.resapiVersion = std::strcmp(v, "v1") == 0 ? CLRES_VERSION_V1_00 : CLRES_VERSION_V2_00;
    } else if (a == "--call-limit-ms" && (v = value())) {
      ok = parseU32(v, opt.callLimitMs);
    } else if (a == "--pending-timeout-ms" && (v = value())) {
      ok = parseU32(v, opt.pendingTimeoutMs);
    } else if (a == "--threads" && (v = value())) {
      ok = parseU32(v, opt.threads);
    } else if (a == "--command-timeout-ms" && (v = value())) {
      ok = parseU32(v, commandTimeoutMs);
    } else if (a == "--polling" && (v = value())) {
      opt.polling = std::sscanf(v, "%u,%u", &opt.looksAliveMs, &opt.isAliveMs) == 2;
      ok = opt.polling;
    } else if (a == "--restart" && (v = value())) {
      opt.restart = std::sscanf(v, "%u,%u,%u", &opt.restartThreshold, &opt.restartPeriodMs, &opt.restartDelayMs) == 3;
      ok = opt.restart;
    } else if (a.rfind("--", 0) == 0) {
      ok = false;
    } else {
      positional.push_back(a);
    }
    if (!ok) {
      std::fprintf(stderr, "mock-rhs: bad option %s\n%s", a.c_str(), kUsage);
      return 2;
    }
  }
  if (positional.size() != 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::string loadError;
  void* lib = platform::loadLibrary(positional[0], loadError);
  if (!lib) {
    std::fprintf(stderr, "mock-rhs: cannot load %s: %s\n", positional[0].c_str(), loadError.c_str());
    return 2;
  }
  monitor::Library library{reinterpret_cast<PSTARTUP_ROUTINE>(platform::findSymbol(lib, "Startup")),
                           reinterpret_cast<PSTARTUP_EX_ROUTINE>(platform::findSymbol(lib, "StartupEx"))};
  PrintSink sink;
  auto mon = std::make_unique<monitor::Monitor>(library, opt, sink);
  Driver driver(*mon, positional[1], commandTimeoutMs);

  auto started = std::make_shared<Completion>();
  mon->startType(positional[1], [started](const monitor::CallResult& r) {
    {
      std::lock_guard<std::mutex> lock(started->mu);
      started->done = true;
      started->result = r;
    }
    started->cv.notify_all();
  });
  DWORD startup;
  {
    std::unique_lock<std::mutex> lock(started->mu);
    started->cv.wait_for(lock, std::chrono::seconds(30), [&] { return started->done; });
    startup = started->done ? started->result.status : kErrorTimeout;
  }
  json::Value s = json::makeObject();
  json::add(s, "status", json::makeNumber(startup));
  json::Value line = json::makeObject();
  json::add(line, "startup", std::move(s));
  printLine(line);

  bool drained = true;
  if (startup == kErrorSuccess) {
    std::string text;
    while (std::getline(std::cin, text)) {
      if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
      driver.run(text);
    }
    drained = driver.drain(commandTimeoutMs);
  }
  // The order RHS shuts down in: no more calls, then unload the library (which stops its threads
  // and its host), then forget the monitor whose callbacks the library used until then.
  mon->stop();
  platform::unloadLibrary(lib);
  mon.reset();
  json::Value d = json::makeObject();
  json::add(d, "drained", json::makeBool(drained));
  json::Value done = json::makeObject();
  json::add(done, "done", std::move(d));
  printLine(done);
  return startup == kErrorSuccess ? 0 : 3;
}
