#include "json.h"

#include "text.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#if !defined(__cpp_lib_to_chars)
#include <cerrno>
#include <clocale>
#include <cstdlib>
#if defined(__APPLE__)
#include <xlocale.h>
#endif
#endif

namespace wsfc::json {

namespace {

// Reads [first, last), a token the parser already checked against JSON's number grammar, the same
// whatever the process's locale (RHS's locale is not ours to assume; strtod would use it).
bool parseDouble(const char* first, const char* last, double& out) {
#if defined(__cpp_lib_to_chars)
  return std::from_chars(first, last, out).ec == std::errc();
#else
  // No from_chars(double) in this C++ library (libc++ through LLVM 19, as zig 0.14 ships it for
  // macOS): strtod_l in a "C" locale object reads the same grammar, locale-independently.
  static const locale_t cLocale = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
  if (!cLocale) return false;
  std::string text(first, last);
  char* end = nullptr;
  errno = 0;
  out = strtod_l(text.c_str(), &end, cLocale);
  if (end != text.c_str() + text.size()) return false;
  return errno != ERANGE || (out != 0 && std::isfinite(out));  // a subnormal is a value; 0 or inf is not
#endif
}

class Parser {
 public:
  Parser(const std::string& text, const Limits& limits) : s_(text), limits_(limits) {}

  bool run(Value& out, std::string& error) {
    if (s_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;  // Notepad's BOM
    skipSpace();
    if (!value(out, 0)) {
      error = where() + error_;
      return false;
    }
    skipSpace();
    if (pos_ != s_.size()) {
      error = where() + "unexpected text after the JSON value";
      return false;
    }
    return true;
  }

 private:
  bool fail(const std::string& why) {
    if (error_.empty()) error_ = why;
    return false;
  }

  std::string where() const {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < pos_ && i < s_.size(); ++i) {
      if (s_[i] == '\n') {
        ++line;
        col = 1;
      } else if ((static_cast<unsigned char>(s_[i]) & 0xC0) != 0x80) {
        ++col;
      }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(col) + ": ";
  }

  void skipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }

  bool literal(const char* word) {
    size_t n = std::char_traits<char>::length(word);
    if (s_.compare(pos_, n, word) != 0) return fail("unexpected character");
    pos_ += n;
    return true;
  }

  bool value(Value& out, size_t depth) {
    if (depth > limits_.maxDepth) return fail("nested deeper than " + std::to_string(limits_.maxDepth) + " levels");
    if (pos_ >= s_.size()) return fail("unexpected end of the file");
    char c = s_[pos_];
    switch (c) {
      case '{': return object(out, depth);
      case '[': return array(out, depth);
      case '"': out.type = Value::Type::String; return string(out.string);
      case 't': out.type = Value::Type::Bool; out.boolean = true; return literal("true");
      case 'f': out.type = Value::Type::Bool; out.boolean = false; return literal("false");
      case 'n': out.type = Value::Type::Null; return literal("null");
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number(out);
        return fail(std::string("unexpected character '") + (c >= 0x20 && c < 0x7F ? std::string(1, c) : "?") + "'");
    }
  }

  bool object(Value& out, size_t depth) {
    out.type = Value::Type::Object;
    ++pos_;
    skipSpace();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return true;
    }
    for (;;) {
      skipSpace();
      if (pos_ >= s_.size() || s_[pos_] != '"') return fail("expected a member name in double quotes");
      std::string key;
      if (!string(key)) return false;
      for (const auto& k : out.keys)
        if (k == key) return fail("duplicate member " + quote(key));
      skipSpace();
      if (pos_ >= s_.size() || s_[pos_] != ':') return fail("expected ':' after a member name");
      ++pos_;
      skipSpace();
      Value v;
      if (!value(v, depth + 1)) return false;
      if (out.items.size() >= limits_.maxItems) return fail("more than " + std::to_string(limits_.maxItems) + " members");
      out.keys.push_back(std::move(key));
      out.items.push_back(std::move(v));
      skipSpace();
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < s_.size() && s_[pos_] == '}') {
        ++pos_;
        return true;
      }
      return fail("expected ',' or '}'");
    }
  }

  bool array(Value& out, size_t depth) {
    out.type = Value::Type::Array;
    ++pos_;
    skipSpace();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      skipSpace();
      Value v;
      if (!value(v, depth + 1)) return false;
      if (out.items.size() >= limits_.maxItems) return fail("more than " + std::to_string(limits_.maxItems) + " elements");
      out.items.push_back(std::move(v));
      skipSpace();
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < s_.size() && s_[pos_] == ']') {
        ++pos_;
        return true;
      }
      return fail("expected ',' or ']'");
    }
  }

  bool hex4(uint32_t& out) {
    if (pos_ + 4 > s_.size()) return fail("truncated \\u escape");
    out = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_++];
      out <<= 4;
      if (c >= '0' && c <= '9') out |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') out |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') out |= static_cast<uint32_t>(c - 'A' + 10);
      else return fail("bad hex digit in a \\u escape");
    }
    return true;
  }

  // One well-formed UTF-8 sequence (no overlongs, no surrogates, at most U+10FFFF) copied as is.
  bool utf8Sequence(std::string& out) {
    auto b0 = static_cast<unsigned char>(s_[pos_]);
    size_t len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0;
    if (len == 0 || b0 > 0xF4 || pos_ + len > s_.size()) return fail("invalid UTF-8");
    uint32_t cp = b0 & (0x3F >> (len - 1));
    for (size_t i = 1; i < len; ++i) {
      auto b = static_cast<unsigned char>(s_[pos_ + i]);
      if ((b & 0xC0) != 0x80) return fail("invalid UTF-8");
      cp = (cp << 6) | (b & 0x3F);
    }
    static const uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return fail("invalid UTF-8");
    out.append(s_, pos_, len);
    pos_ += len;
    return true;
  }

  bool string(std::string& out) {
    ++pos_;  // opening quote
    for (;;) {
      if (pos_ >= s_.size()) return fail("unterminated string");
      if (out.size() > limits_.maxStringBytes) return fail("string longer than " + std::to_string(limits_.maxStringBytes) + " bytes");
      auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return fail("control character in a string (escape it)");
      if (c >= 0x80) {
        if (!utf8Sequence(out)) return false;
        continue;
      }
      if (c != '\\') {
        out.push_back(static_cast<char>(c));
        ++pos_;
        continue;
      }
      if (++pos_ >= s_.size()) return fail("unterminated escape");
      char e = s_[pos_++];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          uint32_t cp;
          if (!hex4(cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return fail("lone low surrogate in a \\u escape");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t lo;
            if (s_.compare(pos_, 2, "\\u") != 0) return fail("high surrogate without its low half");
            pos_ += 2;
            if (!hex4(lo)) return false;
            if (lo < 0xDC00 || lo > 0xDFFF) return fail("high surrogate without its low half");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          appendUtf8(out, cp);
          break;
        }
        default:
          return fail("unknown escape " + quote(std::string("\\") + e));
      }
    }
  }

  bool number(Value& out) {
    size_t start = pos_;
    if (s_[pos_] == '-') ++pos_;
    auto digits = [&] {
      size_t from = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
      return pos_ - from;
    };
    if (pos_ < s_.size() && s_[pos_] == '0') {
      ++pos_;
      if (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') return fail("leading zero in a number");
    } else if (digits() == 0) {
      return fail("expected a digit");
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (digits() == 0) return fail("expected a digit after '.'");
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (digits() == 0) return fail("expected a digit in the exponent");
    }
    double d = 0;
    if (!parseDouble(s_.data() + start, s_.data() + pos_, d) || !std::isfinite(d)) return fail("number out of range");
    out.type = Value::Type::Number;
    out.number = d;
    return true;
  }

  const std::string& s_;
  const Limits& limits_;
  size_t pos_ = 0;
  std::string error_;
};

void writeString(std::string& out, const std::string& s) {
  out.push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
}

void write(std::string& out, const Value& v) {
  switch (v.type) {
    case Value::Type::Null: out += "null"; break;
    case Value::Type::Bool: out += v.boolean ? "true" : "false"; break;
    case Value::Type::Number: {
      char buf[32];
      if (std::floor(v.number) == v.number && std::fabs(v.number) < 9007199254740992.0) {
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v.number));
      } else {
        // The shortest of 15..17 significant digits that reads back as the same double.
        for (int digits = 15; digits <= 17; ++digits) {
          std::snprintf(buf, sizeof buf, "%.*g", digits, v.number);
          double back = 0;
          if (parseDouble(buf, buf + std::char_traits<char>::length(buf), back) && back == v.number) break;
        }
      }
      out += buf;
      break;
    }
    case Value::Type::String: writeString(out, v.string); break;
    case Value::Type::Array:
      out.push_back('[');
      for (size_t i = 0; i < v.items.size(); ++i) {
        if (i) out.push_back(',');
        write(out, v.items[i]);
      }
      out.push_back(']');
      break;
    case Value::Type::Object:
      out.push_back('{');
      for (size_t i = 0; i < v.items.size(); ++i) {
        if (i) out.push_back(',');
        writeString(out, v.keys[i]);
        out.push_back(':');
        write(out, v.items[i]);
      }
      out.push_back('}');
      break;
  }
}

}  // namespace

const Value* Value::find(const std::string& key) const {
  if (type != Type::Object) return nullptr;
  for (size_t i = 0; i < keys.size(); ++i)
    if (keys[i] == key) return &items[i];
  return nullptr;
}

bool parse(const std::string& text, Value& out, std::string& error, const Limits& limits) {
  out = Value{};
  return Parser(text, limits).run(out, error);
}

std::string quote(const std::string& s, size_t maxBytes) {
  if (s.size() <= maxBytes) {
    std::string out;
    writeString(out, s);
    return out;
  }
  size_t cut = maxBytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  std::string out;
  writeString(out, s.substr(0, cut));
  return out + "...";
}

std::string serialize(const Value& v) {
  std::string out;
  write(out, v);
  return out;
}

Value makeString(std::string s) {
  Value v;
  v.type = Value::Type::String;
  v.string = std::move(s);
  return v;
}
Value makeNumber(double n) {
  Value v;
  v.type = Value::Type::Number;
  v.number = n;
  return v;
}
Value makeBool(bool b) {
  Value v;
  v.type = Value::Type::Bool;
  v.boolean = b;
  return v;
}
Value makeArray() {
  Value v;
  v.type = Value::Type::Array;
  return v;
}
Value makeObject() {
  Value v;
  v.type = Value::Type::Object;
  return v;
}
void add(Value& object, std::string key, Value value) {
  object.keys.push_back(std::move(key));
  object.items.push_back(std::move(value));
}

}  // namespace wsfc::json
