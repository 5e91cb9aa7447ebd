// Typed, path-aware readers for the type configuration (type_manifest.cc, type_config_json.cc):
// each names the exact place of a problem ("host.heartbeatTimeoutMs: must be ...") so a bad file
// produces one LogEvent line an administrator can act on.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "common/json.h"

namespace wsfc::shim::config {

// Fails if v is not an object or has a member not in allowed (a typo must not be ignored).
bool object(const json::Value& v, const std::string& path, std::initializer_list<const char*> allowed, std::string& error);
// Each reader leaves out untouched when the member is absent and optional.
bool string(const json::Value& obj, const char* key, const std::string& path, bool required, std::string& out,
            std::string& error, size_t maxLength = 4096);
bool uint32(const json::Value& obj, const char* key, const std::string& path, bool required, uint32_t min,
            uint32_t max, uint32_t& out, std::string& error);
bool boolean(const json::Value& obj, const char* key, const std::string& path, bool& out, std::string& error);
bool stringArray(const json::Value& obj, const char* key, const std::string& path, std::vector<std::string>& out,
                 std::string& error, size_t maxLength = 4096);

std::string member(const std::string& path, const char* key);
std::string element(const std::string& path, size_t index);
bool isAbsolutePath(const std::string& p);

}  // namespace wsfc::shim::config
