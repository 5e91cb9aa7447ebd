#include "config_fields.h"

#include <cctype>
#include <cmath>

namespace wsfc::shim::config {

// A key that is a plain name reads as path.key; any other (a typo'd or hostile key from the file:
// spaces, quotes, control characters, a whole paragraph) as path["..."], quoted and cut short, so
// the problem stays one readable line.
std::string member(const std::string& path, const char* key) {
  std::string k(key);
  bool plain = !k.empty() && k.size() <= 64;
  for (char c : k) plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
  if (!plain) return path.empty() ? json::quote(k) : path + "[" + json::quote(k) + "]";
  return path.empty() ? k : path + "." + k;
}
std::string element(const std::string& path, size_t index) { return path + "[" + std::to_string(index) + "]"; }

bool isAbsolutePath(const std::string& p) {
  if (!p.empty() && p[0] == '/') return true;                                   // POSIX
  if (p.size() >= 3 && std::isalpha(static_cast<unsigned char>(p[0])) && p[1] == ':' && (p[2] == '\\' || p[2] == '/'))
    return true;                                                                // C:\...
  return p.size() >= 2 && p[0] == '\\' && p[1] == '\\';                         // \\server\share
}

bool object(const json::Value& v, const std::string& path, std::initializer_list<const char*> allowed, std::string& error) {
  if (!v.isObject()) {
    error = (path.empty() ? std::string("the file") : path) + ": must be an object";
    return false;
  }
  for (const auto& k : v.keys) {
    bool known = false;
    for (const char* a : allowed) known = known || k == a;
    if (!known) {
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      error = member(path, k.c_str()) + ": unknown setting (known: " + list + ")";
      return false;
    }
  }
  return true;
}

bool string(const json::Value& obj, const char* key, const std::string& path, bool required, std::string& out,
            std::string& error, size_t maxLength) {
  const json::Value* v = obj.find(key);
  if (!v) {
    if (required) error = member(path, key) + ": required";
    return !required;
  }
  if (!v->isString() || v->string.empty() || v->string.size() > maxLength ||
      v->string.find('\0') != std::string::npos) {
    error = member(path, key) + ": must be a non-empty string of at most " + std::to_string(maxLength) +
            " bytes without NUL";
    return false;
  }
  out = v->string;
  return true;
}

bool uint32(const json::Value& obj, const char* key, const std::string& path, bool required, uint32_t min,
            uint32_t max, uint32_t& out, std::string& error) {
  const json::Value* v = obj.find(key);
  if (!v) {
    if (required) error = member(path, key) + ": required";
    return !required;
  }
  if (!v->isNumber() || std::floor(v->number) != v->number || v->number < min || v->number > max) {
    error = member(path, key) + ": must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
    return false;
  }
  out = static_cast<uint32_t>(v->number);
  return true;
}

bool boolean(const json::Value& obj, const char* key, const std::string& path, bool& out, std::string& error) {
  const json::Value* v = obj.find(key);
  if (!v) return true;
  if (!v->isBool()) {
    error = member(path, key) + ": must be true or false";
    return false;
  }
  out = v->boolean;
  return true;
}

bool stringArray(const json::Value& obj, const char* key, const std::string& path, std::vector<std::string>& out,
                 std::string& error, size_t maxLength) {
  const json::Value* v = obj.find(key);
  if (!v) return true;
  if (!v->isArray()) {
    error = member(path, key) + ": must be an array of strings";
    return false;
  }
  std::vector<std::string> items;
  for (size_t i = 0; i < v->items.size(); ++i) {
    const auto& s = v->items[i];
    if (!s.isString() || s.string.size() > maxLength || s.string.find('\0') != std::string::npos) {
      error = element(member(path, key), i) + ": must be a string of at most " + std::to_string(maxLength) +
              " bytes without NUL";
      return false;
    }
    items.push_back(s.string);
  }
  out = std::move(items);
  return true;
}

}  // namespace wsfc::shim::config
