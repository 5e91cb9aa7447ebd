// Per-environment list of shutdown actions, run from a Node env cleanup hook so every native
// thread is stopped and joined before the environment goes away (nodejs/node#55706). Also runs
// them when a worker thread's environment ends.
#pragma once
#include <napi.h>

#include <functional>
#include <mutex>
#include <vector>

namespace wsfc::addon {

class EnvRegistry {
 public:
  // Shutdown runs phase by phase: callers of the library (monitors) stop before the library
  // (shim types), which stops before the hosts it talks to (endpoints).
  enum Phase { Monitors = 0, ShimTypes = 1, Endpoints = 2 };
  static EnvRegistry& of(Napi::Env env);
  void add(Phase phase, std::function<void()> shutdown);

 private:
  static void cleanup(void* self);
  napi_env env_ = nullptr;
  std::mutex mu_;
  std::vector<std::pair<Phase, std::function<void()>>> actions_;
};

}  // namespace wsfc::addon
