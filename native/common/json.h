// A small, strict JSON reader (RFC 8259) for the type configuration file, plus a compact writer.
// Strict on purpose: no comments, no trailing commas, no duplicate keys, well-formed UTF-8 only,
// and hard limits on depth, string length and item count, so a hostile or broken file costs a
// bounded amount of work and fails with a line and column instead of crashing RHS.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace wsfc::json {

struct Value {
  enum class Type { Null, Bool, Number, String, Array, Object };
  Type type = Type::Null;
  bool boolean = false;
  double number = 0;
  std::string string;              // UTF-8
  std::vector<std::string> keys;   // objects: member names, in file order
  std::vector<Value> items;        // arrays: elements; objects: member values (parallel to keys)

  bool isObject() const { return type == Type::Object; }
  bool isArray() const { return type == Type::Array; }
  bool isString() const { return type == Type::String; }
  bool isNumber() const { return type == Type::Number; }
  bool isBool() const { return type == Type::Bool; }
  // Objects only; null when the key is absent.
  const Value* find(const std::string& key) const;
};

struct Limits {
  size_t maxDepth = 16;
  size_t maxStringBytes = 16 * 1024;
  size_t maxItems = 4096;  // per array or object
};

// Parses the whole text (a leading UTF-8 byte order mark is skipped). On failure returns false
// and sets error to "line L, column C: what was wrong".
bool parse(const std::string& text, Value& out, std::string& error, const Limits& limits = {});

// Compact JSON. Numbers that are exact integers are written without a fraction.
std::string serialize(const Value& v);

// s as a JSON string literal for a message: control characters escaped, so a key or value from
// an untrusted file can never break the one-line error it is quoted in; cut to at most maxBytes
// of s (at a UTF-8 character boundary) and marked with "..." when cut.
std::string quote(const std::string& s, size_t maxBytes = 64);

// Builders for serialize().
Value makeString(std::string s);
Value makeNumber(double n);
Value makeBool(bool b);
Value makeArray();
Value makeObject();
void add(Value& object, std::string key, Value value);

}  // namespace wsfc::json
