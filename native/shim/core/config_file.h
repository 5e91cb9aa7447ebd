// Startup's fallback when mock mode has not registered the type in-process: the type
// configuration file beside the library — libwsfcres.so -> libwsfcres.json, wsfcres.dll ->
// wsfcres.json. Read once per Startup, bounded (64 KiB), validated strictly.
#pragma once
#include <string>

#include "shim/config/shim_config.h"

namespace wsfc::shim {

enum class ConfigFileStatus {
  Loaded,
  Missing,    // no file: the library does not know the type (ERROR_CLUSTER_RESNAME_NOT_FOUND)
  OtherType,  // the file configures another type (ERROR_CLUSTER_RESNAME_NOT_FOUND)
  Invalid,    // unreadable, too big, or not a valid configuration (ERROR_BAD_CONFIGURATION)
};

// detail: one line for the cluster log that names the file and, if it is bad, what is wrong.
ConfigFileStatus loadTypeConfigFile(const std::string& typeName, TypeConfig& out, std::string& detail);

// The configuration file for the library at libraryPath; empty if libraryPath is.
std::string configPathFor(const std::string& libraryPath);

}  // namespace wsfc::shim
