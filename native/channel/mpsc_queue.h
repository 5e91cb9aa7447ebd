// Multi-producer, single-consumer queue without locks (Dmitry Vyukov's intrusive MPSC design).
// push() is wait-free: one atomic exchange and one store. That is what lets Terminate hand a frame
// to the writer thread without ever waiting on a lock another thread holds.
#pragma once
#include <atomic>
#include <utility>

namespace wsfc::channel {

template <class T>
class MpscQueue {
 public:
  MpscQueue() : head_(&stub_), tail_(&stub_) {}
  ~MpscQueue() {
    T ignored;
    while (pop(ignored)) {
    }
  }
  MpscQueue(const MpscQueue&) = delete;
  MpscQueue& operator=(const MpscQueue&) = delete;

  void push(T value) {
    Node* n = new Node{std::move(value), {nullptr}};
    Node* prev = head_.exchange(n, std::memory_order_acq_rel);
    prev->next.store(n, std::memory_order_release);
  }

  // Consumer only: true if nothing is queued, not even by a producer still inside push() (whose
  // value pop() cannot hand out yet, and which a later value must not overtake). tail_ is the
  // node whose value goes out next, or the stub; head_ the last node pushed.
  bool empty() const { return tail_ == &stub_ && head_.load(std::memory_order_acquire) == &stub_; }

  // Consumer only. Returns false when the queue is empty or a producer is mid-push (the value
  // becomes visible on a later call; the producer posts a wake-up after pushing).
  bool pop(T& out) {
    Node* tail = tail_;
    Node* next = tail->next.load(std::memory_order_acquire);
    if (tail == &stub_) {
      if (!next) return false;
      tail_ = next;
      tail = next;
      next = next->next.load(std::memory_order_acquire);
    }
    if (next) {
      tail_ = next;
      out = std::move(tail->value);
      delete tail;
      return true;
    }
    if (tail != head_.load(std::memory_order_acquire)) return false;
    // Re-insert the stub so the last real node can be handed out.
    stub_.next.store(nullptr, std::memory_order_relaxed);
    Node* prev = head_.exchange(&stub_, std::memory_order_acq_rel);
    prev->next.store(&stub_, std::memory_order_release);
    next = tail->next.load(std::memory_order_acquire);
    if (next) {
      tail_ = next;
      out = std::move(tail->value);
      delete tail;
      return true;
    }
    return false;
  }

 private:
  struct Node {
    T value;
    std::atomic<Node*> next;
  };
  std::atomic<Node*> head_;
  Node* tail_;
  Node stub_{T{}, {nullptr}};
};

}  // namespace wsfc::channel
