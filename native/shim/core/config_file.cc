#include "config_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "module_path.h"
#include "type_config_json.h"

namespace wsfc::shim {

std::string configPathFor(const std::string& libraryPath) {
  if (libraryPath.empty()) return {};
  size_t slash = libraryPath.find_last_of("/\\");
  size_t nameAt = slash == std::string::npos ? 0 : slash + 1;
  size_t dot = libraryPath.find_last_of('.');
  size_t stemEnd = (dot == std::string::npos || dot < nameAt) ? libraryPath.size() : dot;
  return libraryPath.substr(0, stemEnd) + ".json";
}

ConfigFileStatus loadTypeConfigFile(const std::string& typeName, TypeConfig& out, std::string& detail) {
  std::string path = configPathFor(thisLibraryPath());
  if (path.empty()) {
    detail = "the library cannot tell where it was loaded from, so it has no configuration file";
    return ConfigFileStatus::Missing;
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(openUtf8(path, "rb"), &std::fclose);
  if (!f) {
    int e = errno;
    detail = path + ": " + std::strerror(e);
    return e == ENOENT ? ConfigFileStatus::Missing : ConfigFileStatus::Invalid;
  }
  // One byte more than allowed tells "too big" apart from "exactly at the limit".
  std::string text(kMaxTypeConfigBytes + 1, '\0');
  size_t n = std::fread(text.data(), 1, text.size(), f.get());
  if (std::ferror(f.get())) {
    detail = path + ": read error";
    return ConfigFileStatus::Invalid;
  }
  text.resize(n);
  std::string error;
  size_t dot = path.find_last_of('.');
  std::string defaultLog = path.substr(0, dot) + ".host.log";
  TypeConfig config;
  if (!typeConfigFromJson(text, defaultLog, config, error)) {
    detail = path + ": " + error;
    return ConfigFileStatus::Invalid;
  }
  if (config.typeName != typeName) {
    detail = path + " configures resource type '" + config.typeName + "', not '" + typeName + "'";
    return ConfigFileStatus::OtherType;
  }
  detail = path;
  out = std::move(config);
  return ConfigFileStatus::Loaded;
}

}  // namespace wsfc::shim
