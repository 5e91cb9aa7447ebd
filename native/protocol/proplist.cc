#include "proplist.h"

#include <cstring>

namespace wsfc::proplist {

namespace {

constexpr size_t kHeader = 8;

uint32_t rd32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
uint64_t rd64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
uint64_t align4(uint64_t n) { return (n + 3) & ~uint64_t{3}; }

struct Bounds {
  size_t data;
  uint64_t cb;
  size_t next;
};

// The decoder reports the first failing check, in the order the fixtures README lists them.
class Decoder {
 public:
  Decoder(const uint8_t* d, size_t n, DecodeError& err) : d_(d), n_(n), err_(err) {}

  bool fail(size_t off, const char* reason, std::string detail) {
    err_.offset = off;
    err_.reason = reason;
    err_.detail = std::move(detail);
    return false;
  }

  bool syntax(size_t off, uint32_t& out) {
    if (n_ - off < 4) return fail(off, "truncated-header", "need 4 bytes for a syntax");
    out = rd32(d_ + off);
    return true;
  }

  bool bounds(size_t off, Bounds& b) {
    uint64_t remaining = n_ - off;
    if (remaining < kHeader) return fail(off, "truncated-header", "need 8 bytes for a value header");
    uint64_t cb = rd32(d_ + off + 4);
    uint64_t available = remaining - kHeader;
    if (cb > available) return fail(off, "length-past-end", "cbLength runs past the end of the buffer");
    if (align4(cb) > available) return fail(off, "missing-padding", "no room for the padding after the value");
    b = {off + kHeader, cb, static_cast<size_t>(off + kHeader + align4(cb))};
    return true;
  }

  bool sz(const Bounds& b, size_t off, bool isName, std::u16string& out) {
    if (b.cb % 2) return fail(off, "odd-string-length", "cbLength is not a whole number of UTF-16 units");
    if (b.cb == 0) return fail(off, "missing-nul", "cbLength 0 leaves no room for the terminating NUL");
    size_t end = b.data + b.cb - 2;
    if (d_[end] || d_[end + 1]) return fail(off, "missing-nul", "string does not end with NUL");
    for (size_t p = b.data; p < end; p += 2)
      if (!d_[p] && !d_[p + 1]) return fail(off, "embedded-nul", "NUL inside the string");
    if (isName && end == b.data) return fail(off, "empty-name", "property name is empty");
    out = units(b.data, end);
    return true;
  }

  bool multiSz(size_t data, uint64_t cb, size_t off, std::vector<std::u16string>& out) {
    out.clear();
    if (cb % 2) return fail(off, "odd-string-length", "cbLength is not a whole number of UTF-16 units");
    if (cb == 0) return true;
    size_t end = data + cb;
    if (d_[end - 2] || d_[end - 1]) return fail(off, "missing-nul", "MULTI_SZ does not end with NUL");
    size_t start = data;
    while (start < end) {
      size_t nul = start;
      while (d_[nul] || d_[nul + 1]) nul += 2;  // stops: the last unit is NUL
      if (nul == start) {
        for (size_t p = nul + 2; p < end; ++p)
          if (d_[p]) return fail(off, "multisz-trailing-data", "data after the list terminator");
        break;
      }
      out.push_back(units(start, nul));
      start = nul + 2;
    }
    return true;
  }

  bool value(Format f, const Bounds& b, size_t off, Value& v) {
    uint64_t want = f == Format::Dword || f == Format::Long ? 4
                    : f == Format::Word                     ? 2
                    : f == Format::UlargeInteger || f == Format::LargeInteger || f == Format::Filetime ? 8
                                                                                                       : 0;
    if (want && b.cb != want) return fail(off, "bad-value-length", std::string(formatName(f)) + " has the wrong cbLength");
    switch (f) {
      case Format::Binary:
        v.bytes.assign(d_ + b.data, d_ + b.data + b.cb);
        return true;
      case Format::Dword:
        v.number = rd32(d_ + b.data);
        return true;
      case Format::Long:
        v.number = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(rd32(d_ + b.data))));
        return true;
      case Format::Word:
        v.number = static_cast<uint64_t>(d_[b.data] | (d_[b.data + 1] << 8));
        return true;
      case Format::UlargeInteger:
      case Format::LargeInteger:
      case Format::Filetime:
        v.number = rd64(d_ + b.data);
        return true;
      case Format::Sz:
      case Format::ExpandSz:
        return sz(b, off, false, v.text);
      case Format::MultiSz:
        return multiSz(b.data, b.cb, off, v.strings);
    }
    return false;
  }

  bool property(size_t start, Property& p, size_t& next) {
    uint32_t s;
    if (!syntax(start, s)) return false;
    if (s != kSyntaxName) return fail(start, "expected-name", "a property NAME was expected");
    Bounds nb;
    if (!bounds(start, nb) || !sz(nb, start, true, p.name)) return false;
    size_t off = nb.next;
    bool haveFormat = false;
    for (;;) {
      if (off == n_) return fail(off, "missing-endmark", "the property has no ENDMARK");
      if (!syntax(off, s)) return false;
      if (s == kSyntaxEndmark) {
        if (p.values.empty()) return fail(off, "no-values", "the property has no value");
        off += 4;
        break;
      }
      bool isExpanded = s == listValueSyntax(kFormatExpandedSz);
      bool known = (s >> 16) == kTypeListValue && isKnownFormat(static_cast<uint16_t>(s & 0xFFFF));
      if (!known && !isExpanded) return fail(off, "unknown-syntax", "a value or ENDMARK was expected");
      if (p.hasExpanded) return fail(off, "bad-expanded-sz", "the EXPANDED_SZ value must be the last value");
      auto f = static_cast<Format>(s & 0xFFFF);
      if (isExpanded) {
        if (!haveFormat || p.format != Format::ExpandSz)
          return fail(off, "bad-expanded-sz", "EXPANDED_SZ only follows EXPAND_SZ values");
      } else if (haveFormat && f != p.format) {
        return fail(off, "mixed-formats", "values of different formats in one property");
      }
      Bounds vb;
      if (!bounds(off, vb)) return false;
      if (isExpanded) {
        if (!sz(vb, off, false, p.expanded)) return false;
        p.hasExpanded = true;
      } else {
        p.format = f;
        haveFormat = true;
        Value v;
        if (!value(f, vb, off, v)) return false;
        p.values.push_back(std::move(v));
      }
      off = vb.next;
    }
    next = off;
    return true;
  }

 private:
  std::u16string units(size_t from, size_t to) const {
    std::u16string s;
    s.reserve((to - from) / 2);
    for (size_t p = from; p < to; p += 2) s.push_back(static_cast<char16_t>(d_[p] | (d_[p + 1] << 8)));
    return s;
  }

  const uint8_t* d_;
  size_t n_;
  DecodeError& err_;
};

void putUnits(std::vector<uint8_t>& out, const std::u16string& s) {
  for (char16_t c : s) {
    out.push_back(static_cast<uint8_t>(c & 0xFF));
    out.push_back(static_cast<uint8_t>(c >> 8));
  }
}

}  // namespace

bool isKnownFormat(uint16_t f) {
  switch (f) {
    case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 10: case 11: case 12:
      return true;
    default:
      return false;
  }
}

const char* formatName(Format f) {
  switch (f) {
    case Format::Binary: return "binary";
    case Format::Dword: return "dword";
    case Format::Sz: return "sz";
    case Format::ExpandSz: return "expandSz";
    case Format::MultiSz: return "multiSz";
    case Format::UlargeInteger: return "ulargeInteger";
    case Format::Long: return "long";
    case Format::LargeInteger: return "largeInteger";
    case Format::Word: return "word";
    case Format::Filetime: return "filetime";
  }
  return "?";
}

bool isSignedFormat(Format f) { return f == Format::Long || f == Format::LargeInteger; }

bool decode(const uint8_t* data, size_t size, std::vector<Property>& out, DecodeError& err) {
  out.clear();
  Decoder d(data, size, err);
  if (size < 4) return d.fail(0, "truncated-count", "need 4 bytes for nPropertyCount");
  uint32_t count = rd32(data);
  size_t off = 4;
  // Each property consumes bytes or fails, so a huge count cannot loop for long.
  for (uint32_t i = 0; i < count; ++i) {
    if (off == size) return d.fail(off, "count-mismatch", "fewer properties than nPropertyCount");
    Property p;
    size_t next = 0;
    if (!d.property(off, p, next)) return false;
    out.push_back(std::move(p));
    off = next;
  }
  if (off != size) return d.fail(off, "trailing-bytes", "bytes after the last property");
  return true;
}

bool decodeMultiSz(const uint8_t* data, size_t size, std::vector<std::u16string>& out, DecodeError& err) {
  Decoder d(data, size, err);
  return d.multiSz(0, size, 0, out);
}

void ListWriter::u32(uint32_t v) {
  uint8_t b[4];
  std::memcpy(b, &v, 4);
  out_.insert(out_.end(), b, b + 4);
}

void ListWriter::entry(uint32_t syntax, const void* data, size_t size) {
  u32(syntax);
  u32(static_cast<uint32_t>(size));
  const auto* p = static_cast<const uint8_t*>(data);
  out_.insert(out_.end(), p, p + size);
  out_.resize(out_.size() + (align4(size) - size), 0);
}

void ListWriter::name(const std::u16string& s) {
  std::vector<uint8_t> b;
  putUnits(b, s);
  b.push_back(0);
  b.push_back(0);
  entry(kSyntaxName, b.data(), b.size());
}

void ListWriter::value(Format f, const Value& v) {
  uint32_t syntax = listValueSyntax(static_cast<uint16_t>(f));
  switch (f) {
    case Format::Binary:
      return entry(syntax, v.bytes.data(), v.bytes.size());
    case Format::Dword:
    case Format::Long: {
      uint32_t x = static_cast<uint32_t>(v.number);
      return entry(syntax, &x, 4);
    }
    case Format::Word: {
      uint16_t x = static_cast<uint16_t>(v.number);
      return entry(syntax, &x, 2);
    }
    case Format::UlargeInteger:
    case Format::LargeInteger:
    case Format::Filetime:
      return entry(syntax, &v.number, 8);
    case Format::Sz:
    case Format::ExpandSz: {
      std::vector<uint8_t> b;
      putUnits(b, v.text);
      b.push_back(0);
      b.push_back(0);
      return entry(syntax, b.data(), b.size());
    }
    case Format::MultiSz: {
      auto b = encodeMultiSz(v.strings);
      return entry(syntax, b.data(), b.size());
    }
  }
}

std::vector<uint8_t> encode(const std::vector<Property>& properties) {
  ListWriter w;
  w.u32(static_cast<uint32_t>(properties.size()));
  for (const auto& p : properties) {
    w.name(p.name);
    for (const auto& v : p.values) w.value(p.format, v);
    if (p.hasExpanded) {
      Value e;
      e.text = p.expanded;
      std::vector<uint8_t> b;
      putUnits(b, e.text);
      b.push_back(0);
      b.push_back(0);
      w.entry(listValueSyntax(kFormatExpandedSz), b.data(), b.size());
    }
    w.endmark();
  }
  return std::move(w.bytes());
}

std::vector<uint8_t> encodeMultiSz(const std::vector<std::u16string>& strings) {
  std::vector<uint8_t> b;
  for (const auto& s : strings) {
    putUnits(b, s);
    b.push_back(0);
    b.push_back(0);
  }
  b.push_back(0);
  b.push_back(0);
  return b;
}

}  // namespace wsfc::proplist
