#include "property_store.h"

namespace wsfc::shim {

std::unique_ptr<PropertyStore> openPropertyStore(HKEY resourceKey, bool mockStore) {
  return mockStore ? openMockPropertyStore(resourceKey) : openClusterPropertyStore(resourceKey);
}

}  // namespace wsfc::shim
