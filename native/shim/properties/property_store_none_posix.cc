// POSIX has no cluster database: a type configured for it gets a store that fails clearly.
#include "property_store.h"

namespace wsfc::shim {

namespace {
class NoClusterStore final : public PropertyStore {
 public:
  bool readAll(std::vector<uint8_t>&) override { return false; }
  bool writeAll(const std::vector<uint8_t>&) override { return false; }
};
}  // namespace

std::unique_ptr<PropertyStore> openClusterPropertyStore(HKEY) { return std::make_unique<NoClusterStore>(); }

}  // namespace wsfc::shim
