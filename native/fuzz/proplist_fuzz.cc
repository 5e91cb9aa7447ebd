// libFuzzer target for the CLUSPROP decoder (native/protocol/proplist.cc): any input must decode
// or fail with a reason, never crash or read out of bounds (ASan/UBSan watch that); whatever
// decodes must re-encode to a list that decodes to the same properties.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "protocol/proplist.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wsfc::proplist;
  std::vector<Property> props;
  DecodeError err;
  if (decode(data, size, props, err)) {
    std::vector<uint8_t> again = encode(props);
    std::vector<Property> round;
    if (!decode(again.data(), again.size(), round, err) || round.size() != props.size()) std::abort();
    for (size_t i = 0; i < props.size(); ++i) {
      if (round[i].name != props[i].name || round[i].format != props[i].format ||
          !(round[i].values == props[i].values) || round[i].expanded != props[i].expanded)
        std::abort();
    }
  } else if (err.offset > size) {
    std::abort();  // an error must point inside (or at the end of) the input
  }
  std::vector<std::u16string> strings;
  decodeMultiSz(data, size, strings, err);
  return 0;
}
