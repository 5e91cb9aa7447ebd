#include "pending_calls.h"

namespace wsfc::shim {

void CallWaiter::complete(uint32_t status, std::vector<uint8_t> output) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (done_) return;
    status_ = status;
    output_ = std::move(output);
    done_ = true;
  }
  cv_.notify_all();  // after unlocking; the completer holds a reference, so *this outlives it
}

bool CallWaiter::waitUntil(const Deadline& d) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_until(lock, d.at, [&] { return done_; });
}

uint32_t PendingCalls::add(PendingCall call) {
  std::lock_guard<std::mutex> lock(mu_);
  uint32_t id;
  do {
    id = next_++;
  } while (id == 0 || id == kTerminateRequest || calls_.count(id));
  calls_.emplace(id, std::move(call));
  return id;
}

bool PendingCalls::take(uint32_t request, PendingCall& out) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = calls_.find(request);
  if (it == calls_.end()) return false;
  out = std::move(it->second);
  calls_.erase(it);
  return true;
}

std::vector<PendingCall> PendingCalls::takeAll() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<PendingCall> out;
  out.reserve(calls_.size());
  for (auto& kv : calls_) out.push_back(std::move(kv.second));
  calls_.clear();
  return out;
}

std::vector<PendingCall> PendingCalls::takeUpTo(uint64_t epoch) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<PendingCall> out;
  for (auto it = calls_.begin(); it != calls_.end();) {
    if (it->second.epoch <= epoch) {
      out.push_back(std::move(it->second));
      it = calls_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

void PendingCalls::dropSlot(uint32_t slot) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = calls_.begin(); it != calls_.end();) {
    if (it->second.slot == slot) {
      if (it->second.waiter) it->second.waiter->complete(0xFFFFFFFFu, {});
      it = calls_.erase(it);
    } else {
      ++it;
    }
  }
}

size_t PendingCalls::size() {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_.size();
}

}  // namespace wsfc::shim
