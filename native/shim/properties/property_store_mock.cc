// The mock monitor's property store, behind the C ABI of MockPropertyKey.
#include "property_store.h"

namespace wsfc::shim {

namespace {

class MockStore final : public PropertyStore {
 public:
  explicit MockStore(MockPropertyKey* key) : key_(key) {}

  bool readAll(std::vector<uint8_t>& out) override {
    if (!key_) return false;
    DWORD size = 0;
    out.resize(4096);
    for (int attempt = 0; attempt < 4; ++attempt) {
      DWORD rc = key_->read(key_->context, out.data(), static_cast<DWORD>(out.size()), &size);
      if (rc == kErrorSuccess) {
        out.resize(size);
        return true;
      }
      if (rc != kErrorMoreData) return false;
      out.resize(size);
    }
    return false;
  }

  bool writeAll(const std::vector<uint8_t>& list) override {
    return key_ && key_->write(key_->context, list.data(), static_cast<DWORD>(list.size())) == kErrorSuccess;
  }

 private:
  MockPropertyKey* key_;
};

}  // namespace

std::unique_ptr<PropertyStore> openMockPropertyStore(HKEY resourceKey) {
  auto* key = reinterpret_cast<MockPropertyKey*>(resourceKey);
  if (key && key->magic != kMockPropertyKeyMagic) key = nullptr;
  return std::make_unique<MockStore>(key);
}

}  // namespace wsfc::shim
