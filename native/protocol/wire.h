// Bounds-checked little-endian readers and writers for frame payloads.
// A Reader never reads past its span: every accessor reports failure instead, and the first
// failure latches so a decoder can read a whole message and check ok() once at the end.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace wsfc::wire {

class Writer {
 public:
  void u8(uint8_t v) { buf_.push_back(v); }
  void u16(uint16_t v) { put(&v, 2); }
  void u32(uint32_t v) { put(&v, 4); }
  void u64(uint64_t v) { put(&v, 8); }
  void bytes(const void* data, size_t n) {
    u32(static_cast<uint32_t>(n));
    put(data, n);
  }
  void bytes(const std::vector<uint8_t>& v) { bytes(v.data(), v.size()); }
  void str(const std::string& s) { bytes(s.data(), s.size()); }
  std::vector<uint8_t>& buffer() { return buf_; }

 private:
  // The wire format is little-endian; every supported target (x86-64, arm64) is too.
  void put(const void* p, size_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    buf_.insert(buf_.end(), b, b + n);
  }
  std::vector<uint8_t> buf_;
};

class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}
  explicit Reader(const std::vector<uint8_t>& v) : Reader(v.data(), v.size()) {}

  uint8_t u8() { uint8_t v = 0; get(&v, 1); return v; }
  uint16_t u16() { uint16_t v = 0; get(&v, 2); return v; }
  uint32_t u32() { uint32_t v = 0; get(&v, 4); return v; }
  uint64_t u64() { uint64_t v = 0; get(&v, 8); return v; }
  std::vector<uint8_t> bytes() {
    uint32_t n = u32();
    if (!ok_ || remaining() < n) return fail<std::vector<uint8_t>>();
    std::vector<uint8_t> out(p_, p_ + n);
    p_ += n;
    return out;
  }
  std::string str() {
    uint32_t n = u32();
    if (!ok_ || remaining() < n) return fail<std::string>();
    std::string out(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return out;
  }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  bool ok() const { return ok_; }
  // A message must be consumed exactly: trailing bytes mean sender and receiver disagree.
  bool finished() const { return ok_ && p_ == end_; }

 private:
  void get(void* out, size_t n) {
    if (!ok_ || remaining() < n) { ok_ = false; return; }
    std::memcpy(out, p_, n);
    p_ += n;
  }
  template <class T> T fail() { ok_ = false; return T{}; }
  const uint8_t* p_;
  const uint8_t* end_;
  bool ok_ = true;
};

}  // namespace wsfc::wire
