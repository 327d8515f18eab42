// engine/offline/block_queue.hpp - an SpscRing that a (non-real-time) consumer can sleep on,
// and a stack of free blocks that hands out the most recently returned one first.
#pragma once

#include "ringbuf/spsc_ring.hpp"

#include <mutex>
#include <semaphore>
#include <vector>

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

/// The free blocks of a pool, for the offline pipeline (threads may block): last in, first out,
/// so a consumer that keeps up cycles through the same few blocks, warm in cache. One thread
/// pushes, another pops; a mutex guards the few items.
template <class T> class BlockStack {
public:
  /// `capacity`: the number of items in circulation. Allocates it all now.
  explicit BlockStack(std::size_t capacity) { items_.reserve(capacity); }

  /// Pushing thread. Effects: returns `item` to the top and wakes the popping thread.
  /// Precondition: fewer than `capacity` items held (never allocates).
  void push(const T& item) {
    {
      const std::lock_guard lock(mutex_);
      items_.push_back(item);
    }
    available_.release();
  }

  /// Popping thread. Effects: waits for an item and removes the one pushed last.
  /// Returns: the item.
  T pop() {
    available_.acquire();
    const std::lock_guard lock(mutex_);
    T item = items_.back();
    items_.pop_back();
    return item;
  }

private:
  std::mutex mutex_;
  std::vector<T> items_;
  std::counting_semaphore<> available_{0};
};

} // namespace rc
