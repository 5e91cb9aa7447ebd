#include "type_manifest.h"

#include <cctype>
#include <cmath>

#include "config_fields.h"
#include "common/text.h"

namespace wsfc::shim {

namespace {

// An integer of any supported format, compared without overflow (sign + magnitude).
struct Int {
  bool negative = false;
  uint64_t magnitude = 0;
  bool operator<(const Int& o) const {
    if (negative != o.negative) return negative;
    return negative ? magnitude > o.magnitude : magnitude < o.magnitude;
  }
};

enum class Kind { Number32, Number64, String, MultiString, Binary };

struct Format {
  const char* name;
  Kind kind;
  bool ranged;           // accepts min/max (prop.<format> offers them)
  Int lo, hi;            // the format's own range (integer kinds)
};

const Format kFormats[] = {
    {"binary", Kind::Binary, false, {}, {}},
    {"dword", Kind::Number32, true, {false, 0}, {false, 0xFFFFFFFFull}},
    {"sz", Kind::String, false, {}, {}},
    {"expandSz", Kind::String, false, {}, {}},
    {"multiSz", Kind::MultiString, false, {}, {}},
    {"ulargeInteger", Kind::Number64, true, {false, 0}, {false, ~0ull}},
    {"long", Kind::Number32, true, {true, 0x80000000ull}, {false, 0x7FFFFFFFull}},
    {"largeInteger", Kind::Number64, true, {true, 0x8000000000000000ull}, {false, 0x7FFFFFFFFFFFFFFFull}},
    {"word", Kind::Number32, true, {false, 0}, {false, 0xFFFFull}},
    {"filetime", Kind::Number64, false, {false, 0}, {false, ~0ull}},
};

const Format* findFormat(const std::string& name) {
  for (const auto& f : kFormats)
    if (name == f.name) return &f;
  return nullptr;
}

// The rule of lib/define.ts for type and property names: 1-128 UTF-16 units, none of
// \ / : * ? " < > | and no control characters.
bool validName(const std::string& s) {
  if (s.empty() || toUtf16(s).size() > 128) return false;
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7F || std::string("\\/:*?\"<>|").find(static_cast<char>(c)) != std::string::npos)
      return false;
  return true;
}

std::string lowerAscii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Decimal strings for the 64-bit formats: canonical (no '+', no leading zeros, no "-0").
bool decimal(const std::string& s, Int& out) {
  size_t i = 0;
  out = Int{};
  if (s.size() > 1 && s[0] == '-') {
    out.negative = true;
    i = 1;
  }
  if (i >= s.size() || (s[i] == '0' && s.size() > i + 1) || (out.negative && s == "-0")) return false;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (out.magnitude > (~0ull - d) / 10) return false;
    out.magnitude = out.magnitude * 10 + d;
  }
  return true;
}

// Reads an integer value of the format; false if it has the wrong JSON type or shape.
bool integerOf(const Format& f, const json::Value& v, Int& out) {
  if (f.kind == Kind::Number32) {
    if (!v.isNumber() || std::floor(v.number) != v.number || std::fabs(v.number) > 1e10) return false;
    out.negative = v.number < 0;
    out.magnitude = static_cast<uint64_t>(std::fabs(v.number));
    if (out.magnitude == 0) out.negative = false;
    return true;
  }
  return v.isString() && decimal(v.string, out);
}

std::string describe(const Format& f) {
  switch (f.kind) {
    case Kind::Number32: return std::string("an integer number (") + f.name + ")";
    case Kind::Number64: return std::string("a decimal string (") + f.name + ", 64-bit)";
    case Kind::String: return "a string without NUL";
    case Kind::MultiString: return "an array of non-empty strings without NUL";
    case Kind::Binary: return "a lowercase hex string of whole bytes";
  }
  return "?";
}

bool checkValue(const Format& f, const json::Value& v, const std::string& path, std::string& error) {
  bool ok = false;
  switch (f.kind) {
    case Kind::Number32:
    case Kind::Number64: {
      Int n;
      ok = integerOf(f, v, n) && !(n < f.lo) && !(f.hi < n);
      break;
    }
    case Kind::String:
      ok = v.isString() && v.string.find('\0') == std::string::npos;
      break;
    case Kind::MultiString:
      ok = v.isArray();
      for (const auto& s : v.items) ok = ok && s.isString() && !s.string.empty() && s.string.find('\0') == std::string::npos;
      break;
    case Kind::Binary:
      ok = v.isString() && v.string.size() % 2 == 0;
      for (char c : v.string) ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
      break;
  }
  if (!ok) error = path + ": must be " + describe(f) + " within the format's range";
  return ok;
}

bool parseProperty(const json::Value& v, const std::string& path, PropertySpec& p, std::string& error) {
  if (!config::object(v, path, {"name", "format", "required", "readOnly", "default", "min", "max", "description"}, error))
    return false;
  if (!config::string(v, "name", path, true, p.name, error, 512)) return false;
  if (!validName(p.name)) {
    error = config::member(path, "name") + ": must be 1-128 characters without \\ / : * ? \" < > | or control characters";
    return false;
  }
  if (!config::string(v, "format", path, true, p.format, error, 32)) return false;
  const Format* f = findFormat(p.format);
  if (!f) {
    error = config::member(path, "format") + ": unknown format " + json::quote(p.format) +
            " (binary dword sz expandSz multiSz ulargeInteger long largeInteger word filetime)";
    return false;
  }
  if (!config::boolean(v, "required", path, p.required, error) || !config::boolean(v, "readOnly", path, p.readOnly, error) ||
      !config::string(v, "description", path, false, p.description, error, 4096))
    return false;
  for (const char* bound : {"min", "max"}) {
    const json::Value* b = v.find(bound);
    if (!b) continue;
    if (!f->ranged) {
      error = config::member(path, bound) + ": format " + p.format + " has no range";
      return false;
    }
    if (!checkValue(*f, *b, config::member(path, bound), error)) return false;
    (std::string(bound) == "min" ? p.min : p.max) = *b;
  }
  Int lo = f->lo, hi = f->hi;
  if (p.min.type != json::Value::Type::Null) integerOf(*f, p.min, lo);
  if (p.max.type != json::Value::Type::Null) integerOf(*f, p.max, hi);
  if (hi < lo) {
    error = path + ": min is above max";
    return false;
  }
  if (const json::Value* d = v.find("default")) {
    if (!checkValue(*f, *d, config::member(path, "default"), error)) return false;
    Int n;
    if (f->ranged && integerOf(*f, *d, n) && (n < lo || hi < n)) {
      error = config::member(path, "default") + ": outside min..max";
      return false;
    }
    p.hasDefault = true;
    p.defaultValue = *d;
  }
  return true;
}

bool parseTimeouts(const json::Value& t, const std::string& path, TypeTimeouts& out, std::string& error) {
  if (!config::object(t, path, {"looksAliveMs", "isAliveMs", "controlMs", "terminateAckMs", "pendingTimeoutMs",
                                "looksAlivePollIntervalMs", "isAlivePollIntervalMs"},
                      error))
    return false;
  // Every entry point returns within 250 ms, so no deadline inside one may be longer.
  return config::uint32(t, "looksAliveMs", path, false, 1, 250, out.looksAliveMs, error) &&
         config::uint32(t, "isAliveMs", path, false, 1, 250, out.isAliveMs, error) &&
         config::uint32(t, "controlMs", path, false, 1, 250, out.controlMs, error) &&
         config::uint32(t, "terminateAckMs", path, false, 0, 250, out.terminateAckMs, error) &&
         config::uint32(t, "pendingTimeoutMs", path, false, 10, 0xFFFFFFFFu, out.pendingTimeoutMs, error) &&
         config::uint32(t, "looksAlivePollIntervalMs", path, false, 1, 0xFFFFFFFFu, out.looksAlivePollIntervalMs, error) &&
         config::uint32(t, "isAlivePollIntervalMs", path, false, 1, 0xFFFFFFFFu, out.isAlivePollIntervalMs, error);
}

}  // namespace

bool parseManifest(const json::Value& v, const std::string& path, Manifest& out, std::string& error) {
  out = Manifest{};
  if (!config::object(v, path,
                      {"name", "properties", "characteristics", "flags", "resourceClass", "resourceSubClass",
                       "requiredDependencies", "timeouts", "restartOnPropertyChange", "hasValidate"},
                      error))
    return false;
  if (!config::string(v, "name", path, true, out.name, error, 512)) return false;
  if (!validName(out.name)) {
    error = config::member(path, "name") + ": must be 1-128 characters without \\ / : * ? \" < > | or control characters";
    return false;
  }
  if (const json::Value* props = v.find("properties")) {
    std::string ppath = config::member(path, "properties");
    if (!props->isArray()) {
      error = ppath + ": must be an array";
      return false;
    }
    for (size_t i = 0; i < props->items.size(); ++i) {
      PropertySpec p;
      if (!parseProperty(props->items[i], config::element(ppath, i), p, error)) return false;
      for (const auto& q : out.properties)
        if (lowerAscii(q.name) == lowerAscii(p.name)) {
          error = config::element(ppath, i) + ": property '" + p.name + "' is defined twice (names are case-insensitive)";
          return false;
        }
      out.properties.push_back(std::move(p));
    }
  }
  if (!config::uint32(v, "characteristics", path, false, 0, 0xFFFFFFFFu, out.characteristics, error) ||
      !config::uint32(v, "flags", path, false, 0, 0xFFFFFFFFu, out.flags, error) ||
      !config::uint32(v, "resourceClass", path, false, 0, 0xFFFFFFFFu, out.resourceClass, error) ||
      !config::uint32(v, "resourceSubClass", path, false, 0, 0xFFFFFFFFu, out.resourceSubClass, error) ||
      !config::boolean(v, "restartOnPropertyChange", path, out.restartOnPropertyChange, error) ||
      !config::boolean(v, "hasValidate", path, out.hasValidate, error))
    return false;
  if (const json::Value* deps = v.find("requiredDependencies")) {
    std::string dpath = config::member(path, "requiredDependencies");
    if (!config::object(*deps, dpath, {"classes", "types"}, error)) return false;
    if (const json::Value* classes = deps->find("classes")) {
      if (!classes->isArray()) {
        error = config::member(dpath, "classes") + ": must be an array of integers";
        return false;
      }
      for (size_t i = 0; i < classes->items.size(); ++i) {
        const auto& c = classes->items[i];
        if (!c.isNumber() || std::floor(c.number) != c.number || c.number < 0 || c.number > 0xFFFFFFFFu) {
          error = config::element(config::member(dpath, "classes"), i) + ": must be an integer from 0 to 4294967295";
          return false;
        }
        out.requiredClasses.push_back(static_cast<uint32_t>(c.number));
      }
    }
    if (!config::stringArray(*deps, "types", dpath, out.requiredTypes, error, 512)) return false;
    for (size_t i = 0; i < out.requiredTypes.size(); ++i)
      if (!validName(out.requiredTypes[i])) {
        error = config::element(config::member(dpath, "types"), i) + ": not a resource type name";
        return false;
      }
  }
  if (const json::Value* t = v.find("timeouts"))
    if (!parseTimeouts(*t, config::member(path, "timeouts"), out.timeouts, error)) return false;
  return true;
}

json::Value manifestToJson(const Manifest& m) {
  json::Value o = json::makeObject();
  json::add(o, "name", json::makeString(m.name));
  json::Value props = json::makeArray();
  for (const auto& p : m.properties) {
    json::Value q = json::makeObject();
    json::add(q, "name", json::makeString(p.name));
    json::add(q, "format", json::makeString(p.format));
    json::add(q, "required", json::makeBool(p.required));
    json::add(q, "readOnly", json::makeBool(p.readOnly));
    if (p.hasDefault) json::add(q, "default", p.defaultValue);
    if (p.min.type != json::Value::Type::Null) json::add(q, "min", p.min);
    if (p.max.type != json::Value::Type::Null) json::add(q, "max", p.max);
    if (!p.description.empty()) json::add(q, "description", json::makeString(p.description));
    props.items.push_back(std::move(q));
  }
  json::add(o, "properties", std::move(props));
  json::add(o, "characteristics", json::makeNumber(m.characteristics));
  json::add(o, "flags", json::makeNumber(m.flags));
  json::add(o, "resourceClass", json::makeNumber(m.resourceClass));
  json::add(o, "resourceSubClass", json::makeNumber(m.resourceSubClass));
  json::Value deps = json::makeObject();
  json::Value classes = json::makeArray();
  for (uint32_t c : m.requiredClasses) classes.items.push_back(json::makeNumber(c));
  json::Value types = json::makeArray();
  for (const auto& t : m.requiredTypes) types.items.push_back(json::makeString(t));
  json::add(deps, "classes", std::move(classes));
  json::add(deps, "types", std::move(types));
  json::add(o, "requiredDependencies", std::move(deps));
  const auto& t = m.timeouts;
  json::Value to = json::makeObject();
  json::add(to, "looksAliveMs", json::makeNumber(t.looksAliveMs));
  json::add(to, "isAliveMs", json::makeNumber(t.isAliveMs));
  json::add(to, "controlMs", json::makeNumber(t.controlMs));
  json::add(to, "terminateAckMs", json::makeNumber(t.terminateAckMs));
  json::add(to, "pendingTimeoutMs", json::makeNumber(t.pendingTimeoutMs));
  json::add(to, "looksAlivePollIntervalMs", json::makeNumber(t.looksAlivePollIntervalMs));
  json::add(to, "isAlivePollIntervalMs", json::makeNumber(t.isAlivePollIntervalMs));
  json::add(o, "timeouts", std::move(to));
  json::add(o, "restartOnPropertyChange", json::makeBool(m.restartOnPropertyChange));
  json::add(o, "hasValidate", json::makeBool(m.hasValidate));
  return o;
}

}  // namespace wsfc::shim
