#include "shim_config.h"

#include <map>
#include <mutex>

namespace wsfc::shim {

namespace {
std::mutex& configMutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, TypeConfig>& configs() {
  static std::map<std::string, TypeConfig> m;
  return m;
}
}  // namespace

bool registerTypeConfig(const TypeConfig& config) {
  std::lock_guard<std::mutex> lock(configMutex());
  return configs().emplace(config.typeName, config).second;
}

void unregisterTypeConfig(const std::string& typeName) {
  std::lock_guard<std::mutex> lock(configMutex());
  configs().erase(typeName);
}

bool findTypeConfig(const std::string& typeName, TypeConfig& out) {
  std::lock_guard<std::mutex> lock(configMutex());
  auto it = configs().find(typeName);
  if (it == configs().end()) return false;
  out = it->second;
  return true;
}

}  // namespace wsfc::shim
