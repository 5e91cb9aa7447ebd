#include "text.h"

namespace wsfc {

void appendUtf8(std::string& out, uint32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string toUtf8(const WCHAR_T* s) {
  if (!s) return {};
  u16string_t w;
  for (; *s; ++s) w.push_back(*s);
  return toUtf8(w);
}

std::string toUtf8(const u16string_t& w) {
  std::string out;
  out.reserve(w.size());
  for (size_t i = 0; i < w.size(); ++i) {
    uint32_t c = static_cast<uint16_t>(w[i]);
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < w.size()) {
      uint32_t lo = static_cast<uint16_t>(w[i + 1]);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
        ++i;
      } else {
        c = 0xFFFD;
      }
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;
    }
    appendUtf8(out, c);
  }
  return out;
}

u16string_t toUtf16(const std::string& s) {
  u16string_t out;
  out.reserve(s.size());
  size_t i = 0;
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  while (i < s.size()) {
    uint32_t c = b[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    if (len > 1) {
      c &= (0x7F >> len);
      bool ok = true;
      for (size_t k = 1; k < len; ++k) {
        if ((b[i + k] & 0xC0) != 0x80) ok = false;
        c = (c << 6) | (b[i + k] & 0x3F);
      }
      if (!ok || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        out.push_back(0xFFFD);
        ++i;
        continue;
      }
    }
    if (c >= 0x10000) {
      c -= 0x10000;
      out.push_back(static_cast<WCHAR_T>(0xD800 + (c >> 10)));
      out.push_back(static_cast<WCHAR_T>(0xDC00 + (c & 0x3FF)));
    } else {
      out.push_back(static_cast<WCHAR_T>(c));
    }
    i += len;
  }
  return out;
}

u16string_t truncateUtf16(u16string_t s, size_t maxChars) {
  if (s.size() <= maxChars) return s;
  size_t n = maxChars;
  uint16_t last = static_cast<uint16_t>(s[n - 1]);
  if (last >= 0xD800 && last <= 0xDBFF) --n;
  s.resize(n);
  return s;
}

}  // namespace wsfc
