// engine/offline/block_queue.hpp - an SpscRing that a (non-real-time) consumer can sleep on.
#pragma once

#include "ringbuf/spsc_ring.hpp"

#include <semaphore>

namespace rc {

/// Hands items from one thread to another for the offline pipeline, where threads may block.
/// The ring never fills: its capacity is at least the number of items in circulation.
template <class T> class BlockQueue {
public:
  /// `capacity`: at least the number of items that can be in flight at once.
  explicit BlockQueue(std::size_t capacity) : ring_(capacity) {}

  /// Producer only. Effects: appends `item` and wakes the consumer.
  void push(const T& item) {
    const bool pushed = ring_.try_push(item);
    (void)pushed; // cannot fail: capacity >= items in circulation
    available_.release();
  }

  /// Consumer only. Effects: waits for an item and removes it. Returns: the item.
  T pop() {
    available_.acquire();
    T item{};
    const bool popped = ring_.try_pop(item);
    (void)popped; // the semaphore counted it in
    return item;
  }

private:
  ringbuf::SpscRing<T> ring_;
  std::counting_semaphore<> available_{0};
};

} // namespace rc
