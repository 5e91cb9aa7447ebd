// A point in time an entry point must not wait past. Entry points compute one on arrival and
// pass it down, so waits inside one call share a single budget instead of adding up.
#pragma once
#include <chrono>
#include <cstdint>

namespace wsfc::shim {

using Clock = std::chrono::steady_clock;

struct Deadline {
  Clock::time_point at;
  static Deadline in(uint32_t ms) { return {Clock::now() + std::chrono::milliseconds(ms)}; }
  Deadline earlier(uint32_t ms) const {
    auto other = Clock::now() + std::chrono::milliseconds(ms);
    return {other < at ? other : at};
  }
  uint32_t remainingMs() const {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(at - Clock::now()).count();
    return left > 0 ? static_cast<uint32_t>(left) : 0;
  }
};

}  // namespace wsfc::shim
