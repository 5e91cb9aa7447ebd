#include "env_registry.h"

#include <map>

namespace wsfc::addon {

namespace {
// Keyed by env so worker threads that load the addon each get their own; instance data would
// do too, but is finalized after cleanup hooks run, and the registry must outlive neither.
std::mutex gRegistriesMu;
std::map<napi_env, EnvRegistry*> gRegistries;
}  // namespace

EnvRegistry& EnvRegistry::of(Napi::Env env) {
  std::lock_guard<std::mutex> lock(gRegistriesMu);
  auto it = gRegistries.find(env);
  if (it != gRegistries.end()) return *it->second;
  auto* reg = new EnvRegistry();
  reg->env_ = env;
  gRegistries[env] = reg;
  napi_add_env_cleanup_hook(env, &EnvRegistry::cleanup, reg);
  return *reg;
}

void EnvRegistry::add(Phase phase, std::function<void()> shutdown) {
  std::lock_guard<std::mutex> lock(mu_);
  actions_.emplace_back(phase, std::move(shutdown));
}

void EnvRegistry::cleanup(void* self) {
  auto* reg = static_cast<EnvRegistry*>(self);
  {
    std::lock_guard<std::mutex> lock(gRegistriesMu);
    gRegistries.erase(reg->env_);
  }
  std::vector<std::pair<Phase, std::function<void()>>> actions;
  {
    std::lock_guard<std::mutex> lock(reg->mu_);
    actions.swap(reg->actions_);
  }
  for (int phase = Monitors; phase <= Endpoints; ++phase)
    for (auto& a : actions) {
      if (a.first != phase) continue;
      try {
        a.second();
      } catch (...) {
      }
    }
  delete reg;
}

}  // namespace wsfc::addon
