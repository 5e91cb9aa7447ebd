// CLUSPROP property lists and value lists (resdll-contract.md §8), byte-exact with Windows and
// with lib/proplist.ts: both codecs are held to test/fixtures/proplist-vectors.json, including
// the offset and reason of every malformed input. The decoder is total: any bytes give a value
// or a DecodeError, never an over-read.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace wsfc::proplist {

// CLUSPROP_FORMAT values.
enum class Format : uint16_t {
  Binary = 1,
  Dword = 2,
  Sz = 3,
  ExpandSz = 4,
  MultiSz = 5,
  UlargeInteger = 6,
  Long = 7,
  LargeInteger = 10,
  Word = 11,
  Filetime = 12,
};
constexpr uint16_t kFormatExpandedSz = 8;

constexpr uint32_t kSyntaxEndmark = 0;
constexpr uint32_t kSyntaxName = 0x00040003;
constexpr uint32_t kSyntaxResClass = 0x00020002;  // CLUSPROP_SYNTAX_RESCLASS (dword)
constexpr uint32_t kTypeListValue = 1;
inline uint32_t listValueSyntax(uint16_t format) { return (kTypeListValue << 16) | format; }

bool isKnownFormat(uint16_t f);
const char* formatName(Format f);
bool isSignedFormat(Format f);

// One value; which member is meaningful depends on the property's format.
struct Value {
  uint64_t number = 0;  // dword, word, long, ulargeInteger, largeInteger, filetime (two's complement)
  std::u16string text;  // sz, expandSz
  std::vector<std::u16string> strings;  // multiSz
  std::vector<uint8_t> bytes;           // binary
  bool operator==(const Value& o) const {
    return number == o.number && text == o.text && strings == o.strings && bytes == o.bytes;
  }
};

struct Property {
  std::u16string name;
  Format format = Format::Dword;
  std::vector<Value> values;  // at least one
  bool hasExpanded = false;   // expandSz only: the trailing EXPANDED_SZ value
  std::u16string expanded;
};

struct DecodeError {
  size_t offset = 0;
  const char* reason = "";  // one of the reasons in test/fixtures/README.md
  std::string detail;
};

bool decode(const uint8_t* data, size_t size, std::vector<Property>& out, DecodeError& err);
bool decodeMultiSz(const uint8_t* data, size_t size, std::vector<std::u16string>& out, DecodeError& err);

// Canonical encodings (zero padding, word with cbLength 2, MULTI_SZ [] as one NUL).
std::vector<uint8_t> encode(const std::vector<Property>& properties);
std::vector<uint8_t> encodeMultiSz(const std::vector<std::u16string>& strings);

// Builds value lists and property lists entry by entry (for *_FMTS and REQUIRED_DEPENDENCIES).
class ListWriter {
 public:
  void u32(uint32_t v);
  void entry(uint32_t syntax, const void* data, size_t size);  // header, data, zero padding
  void name(const std::u16string& s);
  void endmark() { u32(kSyntaxEndmark); }
  void value(Format format, const Value& v);
  std::vector<uint8_t>& bytes() { return out_; }

 private:
  std::vector<uint8_t> out_;
};

}  // namespace wsfc::proplist
