// Windows build: private properties in the cluster database, the `Parameters` subkey of the key
// RHS passes to Open (resdll-contract.md §8.6). Never the plain Reg* API: that corrupts the
// replicated hive (§8.6). Reads enumerate the subkey; writes go through one registry batch so the
// whole list is committed or none of it (ClusterRegCloseBatch with bCommit = TRUE).
#include <vector>

#include "protocol/proplist.h"
#include "clusreg_api.h"
#include "property_store.h"

namespace wsfc::shim {

namespace {

constexpr wchar_t kParameters[] = L"Parameters";
constexpr DWORD kMaxValueName = 256;  // registry value names are at most 16383; ours are schema names

std::u16string fromWide(const wchar_t* s, size_t n) { return std::u16string(reinterpret_cast<const char16_t*>(s), n); }

std::vector<std::u16string> splitMultiSz(const uint8_t* data, DWORD cb) {
  std::vector<std::u16string> out;
  std::u16string cur;
  for (DWORD i = 0; i + 1 < cb; i += 2) {
    char16_t c = static_cast<char16_t>(data[i] | (data[i + 1] << 8));
    if (c) {
      cur.push_back(c);
    } else if (cur.empty()) {
      break;
    } else {
      out.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::u16string sz(const uint8_t* data, DWORD cb) {
  std::u16string s;
  for (DWORD i = 0; i + 1 < cb; i += 2) {
    char16_t c = static_cast<char16_t>(data[i] | (data[i + 1] << 8));
    if (!c) break;
    s.push_back(c);
  }
  return s;
}

// Registry types map to the natural CLUSPROP formats; the shim narrows them to the schema's
// (long, word, largeInteger, filetime) afterwards, as ResUtil stores those as DWORD/QWORD.
bool toProperty(const std::u16string& name, DWORD type, const uint8_t* data, DWORD cb, proplist::Property& p) {
  p.name = name;
  proplist::Value v;
  switch (type) {
    case REG_DWORD:
      if (cb != 4) return false;
      p.format = proplist::Format::Dword;
      v.number = static_cast<uint32_t>(data[0] | (data[1] << 8) | (data[2] << 16) | (static_cast<uint32_t>(data[3]) << 24));
      break;
    case REG_QWORD:
      if (cb != 8) return false;
      p.format = proplist::Format::UlargeInteger;
      for (int i = 7; i >= 0; --i) v.number = (v.number << 8) | data[i];
      break;
    case REG_SZ:
    case REG_EXPAND_SZ:
      p.format = type == REG_SZ ? proplist::Format::Sz : proplist::Format::ExpandSz;
      v.text = sz(data, cb);
      break;
    case REG_MULTI_SZ:
      p.format = proplist::Format::MultiSz;
      v.strings = splitMultiSz(data, cb);
      break;
    case REG_BINARY:
      p.format = proplist::Format::Binary;
      v.bytes.assign(data, data + cb);
      break;
    default:
      return false;  // a value type no private property uses: left alone
  }
  p.values.push_back(std::move(v));
  return true;
}

struct RegValue {
  DWORD type;
  std::vector<uint8_t> data;
};

RegValue fromProperty(const proplist::Property& p) {
  const proplist::Value& v = p.values.front();
  RegValue r;
  auto bytesOf = [&](const void* d, size_t n) { r.data.assign(static_cast<const uint8_t*>(d), static_cast<const uint8_t*>(d) + n); };
  switch (p.format) {
    case proplist::Format::Dword:
    case proplist::Format::Long:
    case proplist::Format::Word: {
      r.type = REG_DWORD;
      uint32_t x = static_cast<uint32_t>(v.number);
      bytesOf(&x, 4);
      break;
    }
    case proplist::Format::UlargeInteger:
    case proplist::Format::LargeInteger:
    case proplist::Format::Filetime:
      r.type = REG_QWORD;
      bytesOf(&v.number, 8);
      break;
    case proplist::Format::Sz:
    case proplist::Format::ExpandSz: {
      r.type = p.format == proplist::Format::Sz ? REG_SZ : REG_EXPAND_SZ;
      std::u16string s = v.text;
      s.push_back(0);
      bytesOf(s.data(), s.size() * 2);
      break;
    }
    case proplist::Format::MultiSz: {
      r.type = REG_MULTI_SZ;
      auto b = proplist::encodeMultiSz(v.strings);
      r.data = b;
      break;
    }
    case proplist::Format::Binary:
      r.type = REG_BINARY;
      r.data = v.bytes;
      break;
  }
  return r;
}

class ClusterRegStore final : public PropertyStore {
 public:
  explicit ClusterRegStore(HKEY resourceKey) : key_(resourceKey) {}

  bool readAll(std::vector<uint8_t>& out) override {
    std::vector<proplist::Property> props;
    const ClusRegApi* api = clusRegApi();
    if (!api) return false;
    HKEY params = nullptr;
    LONG rc = key_ ? api->openKey(key_, kParameters, KEY_READ, &params) : ERROR_INVALID_HANDLE;
    if (rc == ERROR_FILE_NOT_FOUND) {  // nothing set yet
      out = proplist::encode(props);
      return true;
    }
    if (rc != ERROR_SUCCESS) return false;
    bool ok = true;
    std::vector<uint8_t> data(4096);
    for (DWORD index = 0;; ++index) {
      wchar_t name[kMaxValueName];
      DWORD cchName = kMaxValueName;
      DWORD type = 0;
      DWORD cb = static_cast<DWORD>(data.size());
      DWORD r = api->enumValue(params, index, name, &cchName, &type, data.data(), &cb);
      if (r == ERROR_MORE_DATA && cb > data.size() && cb <= (1u << 20)) {
        data.resize(cb);
        --index;  // the same value again with room for it
        continue;
      }
      if (r == ERROR_NO_MORE_ITEMS) break;
      if (r != ERROR_SUCCESS) {
        ok = false;
        break;
      }
      proplist::Property p;
      if (toProperty(fromWide(name, cchName), type, data.data(), cb, p)) props.push_back(std::move(p));
    }
    api->closeKey(params);
    if (ok) out = proplist::encode(props);
    return ok;
  }

  bool writeAll(const std::vector<uint8_t>& list) override {
    std::vector<proplist::Property> props;
    proplist::DecodeError err;
    const ClusRegApi* api = clusRegApi();
    if (!api || !key_ || !proplist::decode(list.data(), list.size(), props, err)) return false;
    HREGBATCH batch = nullptr;
    if (api->createBatch(key_, &batch) != ERROR_SUCCESS) return false;
    bool ok = api->batchAddCommand(batch, CLUSREG_CREATE_KEY, kParameters, 0, nullptr, 0) == ERROR_SUCCESS;
    for (const auto& p : props) {
      if (!ok || p.values.empty()) break;
      RegValue v = fromProperty(p);
      std::u16string name = p.name;
      ok = api->batchAddCommand(batch, CLUSREG_SET_VALUE, reinterpret_cast<const wchar_t*>(name.c_str()), v.type,
                                v.data.data(), static_cast<DWORD>(v.data.size())) == ERROR_SUCCESS;
    }
    INT failed = -1;
    LONG rc = api->closeBatch(batch, ok ? TRUE : FALSE, &failed);
    return ok && rc == ERROR_SUCCESS;
  }

 private:
  HKEY key_;
};

}  // namespace

std::unique_ptr<PropertyStore> openClusterPropertyStore(HKEY resourceKey) { return std::make_unique<ClusterRegStore>(resourceKey); }

}  // namespace wsfc::shim
