// Where a resource's private properties live. The shim only deals in CLUSPROP property lists;
// a store turns them into storage. Implementations: the cluster database (the `Parameters`
// subkey of the key RHS passes to Open, Windows build) and the mock cluster's store (the HKEY the
// mock monitor passes to Open points at a MockPropertyKey).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "common/resapi_abi.h"

namespace wsfc::shim {

class PropertyStore {
 public:
  virtual ~PropertyStore() = default;
  // All stored private properties as a property list; false if the store cannot be read.
  virtual bool readAll(std::vector<uint8_t>& propertyList) = 0;
  // Replaces the stored values named in the list, all or nothing.
  virtual bool writeAll(const std::vector<uint8_t>& propertyList) = 0;
};

// Builds the store for the key RHS handed to Open. Never null: an unusable key gives a store
// whose reads and writes fail, so Online reports the problem instead of the shim crashing.
// A mock monitor's keys are MockPropertyKeys; which kind of key to expect is configuration
// (TypeConfig::mockPropertyStore), never guessed from the key, so a real cluster key is never
// read as memory.
std::unique_ptr<PropertyStore> openPropertyStore(HKEY resourceKey, bool mockStore);
std::unique_ptr<PropertyStore> openMockPropertyStore(HKEY resourceKey);
// The cluster database (property_store_clusreg.cc on Windows; on POSIX there is none).
std::unique_ptr<PropertyStore> openClusterPropertyStore(HKEY resourceKey);

}  // namespace wsfc::shim

// The C ABI the mock monitor's store implements (mock-rhs and the addon share it with the shim,
// which may be a separately built library, so it is plain C with a magic number).
extern "C" {
constexpr uint32_t kMockPropertyKeyMagic = 0x4B4D5357;  // "WSMK"
struct MockPropertyKey {
  uint32_t magic;
  void* context;
  // Copies the stored property list into out (up to capacity); *size gets its full length.
  DWORD (*read)(void* context, uint8_t* out, DWORD capacity, DWORD* size);
  DWORD (*write)(void* context, const uint8_t* data, DWORD size);
};
}
