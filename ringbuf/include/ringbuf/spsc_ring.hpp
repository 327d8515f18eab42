// ringbuf/spsc_ring.hpp - a bounded, lock-free, wait-free single-producer/single-consumer ring.
//
// Design
//   * The index protocol (two free-running 64-bit indices, one cache line per side, release and
//     acquire on the indices only) is detail::SpscIndices, shared with FrameRing; see
//     spsc_indices.hpp. This class adds typed storage: slot i holds one T.
//   * All storage is allocated, and value-initialised (so every page is touched and no page fault
//     reaches the audio thread), in the constructor. No member after it allocates, locks, throws
//     or makes a system call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <stdexcept>
#include <type_traits>

#include "ringbuf/spsc_indices.hpp"

namespace ringbuf {

/// Up to two contiguous runs of slots: `first`, then `second` (empty unless the run wraps).
template <class U> struct RingRegions {
  std::span<U> first;  ///< Slots from the current index to the end of storage (or fewer).
  std::span<U> second; ///< Slots continuing at the start of storage; empty if no wrap.
  /// Total number of slots in both regions.
  [[nodiscard]] std::size_t size() const noexcept { return first.size() + second.size(); }
};

/// A bounded single-producer/single-consumer FIFO of trivially copyable `T`.
///
/// Thread rules: exactly one thread at a time acts as the producer (the members marked
/// "producer only") and exactly one as the consumer ("consumer only"). Members marked "any thread"
/// may be called from anywhere. Every member except the constructor is noexcept and wait-free.
template <class T> class SpscRing {
  static_assert(std::is_trivially_copyable_v<T>, "SpscRing moves elements with memcpy");
  static_assert(std::is_default_constructible_v<T>, "storage is value-initialised up front");

public:
  using value_type = T;

  /// Effects: allocates storage for the smallest power of two >= `min_capacity` elements.
  /// Throws: std::invalid_argument if min_capacity is 0 or rounds up past the largest power of
  /// two representable; std::bad_alloc if the storage cannot be allocated.
  explicit SpscRing(std::size_t min_capacity)
      : SpscRing(min_capacity, start_index_for_testing, 0) {}

  /// Test-only: as above, but both indices start at `start` (e.g. just below 2^32 or 2^64) so
  /// that tests can exercise index wrap-around without pushing 2^64 elements.
  SpscRing(std::size_t min_capacity, start_index_for_testing_t, std::uint64_t start)
      : indices_(round_up_capacity(min_capacity), start),
        storage_(std::make_unique<T[]>(indices_.capacity())), slots_(storage_.get()) {}

  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  // ---------------------------------------------------------------- producer only

  /// Producer only. Effects: appends `value` if a slot is free.
  /// Returns: true if appended, false if the ring was full (nothing changes).
  /// Non-blocking guarantee: wait-free.
  [[nodiscard]] bool try_push(const T& value) noexcept {
    std::uint64_t w;
    if (!indices_.free_slot(w)) return false;
    slots_[w & indices_.mask()] = value;
    indices_.commit_write(1);
    return true;
  }

  /// Producer only. Effects: appends the first min(n, free) elements of `src` in order.
  /// Returns: how many were appended (0 when full).
  /// Preconditions: `src` points to at least n elements.
  /// Non-blocking guarantee: wait-free (two memcpy calls at most).
  std::size_t push(const T* src, std::size_t n) noexcept {
    const RingRegions<T> regions = write_regions(n);
    copy_in(regions.first, src);
    copy_in(regions.second, src + regions.first.size());
    commit_write(regions.size());
    return regions.size();
  }

  /// Producer only. Returns: the free slots, at most `max_n` of them, as up to two contiguous
  /// regions to fill in place (zero-copy); publish them with commit_write().
  /// Non-blocking guarantee: wait-free.
  [[nodiscard]] RingRegions<T>
  write_regions(std::size_t max_n = std::numeric_limits<std::size_t>::max()) noexcept {
    return regions_at<T>(indices_.free_slots(max_n));
  }

  /// Producer only. Effects: publishes the first `n` slots of the last write_regions() to the
  /// consumer. Preconditions: n <= that call's size(), and the slots have been written.
  /// Non-blocking guarantee: wait-free.
  void commit_write(std::size_t n) noexcept { indices_.commit_write(n); }

  /// Producer only. Returns: the number of free slots; exact for the producer, a lower bound
  /// because the consumer may free more at any moment.
  [[nodiscard]] std::size_t free_space() const noexcept { return indices_.free_space(); }

  // ---------------------------------------------------------------- consumer only

  /// Consumer only. Effects: removes the oldest element into `out` if there is one.
  /// Returns: true if an element was removed, false if the ring was empty (`out` untouched).
  /// Non-blocking guarantee: wait-free.
  [[nodiscard]] bool try_pop(T& out) noexcept {
    std::uint64_t r;
    if (!indices_.filled_slot(r)) return false;
    out = slots_[r & indices_.mask()];
    indices_.commit_read(1);
    return true;
  }

  /// Consumer only. Effects: removes the oldest min(n, size) elements into `dst` in order.
  /// Returns: how many were removed (0 when empty).
  /// Preconditions: `dst` has room for at least n elements.
  /// Non-blocking guarantee: wait-free (two memcpy calls at most).
  std::size_t pop(T* dst, std::size_t n) noexcept {
    const RingRegions<const T> regions = read_regions(n);
    copy_out(regions.first, dst);
    copy_out(regions.second, dst + regions.first.size());
    commit_read(regions.size());
    return regions.size();
  }

  /// Consumer only. Returns: the filled slots, oldest first, at most `max_n` of them, as up to
  /// two contiguous regions to read in place (zero-copy); release them with commit_read().
  /// Non-blocking guarantee: wait-free.
  [[nodiscard]] RingRegions<const T>
  read_regions(std::size_t max_n = std::numeric_limits<std::size_t>::max()) noexcept {
    return regions_at<const T>(indices_.filled_slots(max_n));
  }

  /// Consumer only. Effects: frees the first `n` slots of the last read_regions() for the
  /// producer. Preconditions: n <= that call's size().
  /// Non-blocking guarantee: wait-free.
  void commit_read(std::size_t n) noexcept { indices_.commit_read(n); }

  // ---------------------------------------------------------------- any thread

  /// Any thread. Returns: the number of slots (a power of two); constant.
  [[nodiscard]] std::size_t capacity() const noexcept { return indices_.capacity(); }

  /// Any thread. Returns: the capacity a ring constructed with `min_capacity` gets (to size what
  /// depends on it before the ring exists). Throws: as the constructor.
  [[nodiscard]] static std::size_t capacity_for(std::size_t min_capacity) {
    return round_up_capacity(min_capacity);
  }

  /// Any thread. Returns: the number of filled slots. Exact when both sides are idle; from the
  /// consumer a lower bound (the producer may add), from the producer an upper bound (the
  /// consumer may remove); from a third thread a snapshot clamped to [0, capacity].
  [[nodiscard]] std::size_t size() const noexcept { return indices_.size(); }

  /// Any thread. Returns: size() == 0, with the same exactness as size().
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }

  /// Any thread. Returns: the total number of elements ever pushed (modulo 2^64), counted from
  /// the start index. Exact on the producer; a lower bound elsewhere.
  [[nodiscard]] std::uint64_t total_pushed() const noexcept { return indices_.written(); }

  /// Any thread. Returns: the total number of elements ever popped (modulo 2^64), counted from
  /// the start index. Exact on the consumer; a lower bound elsewhere.
  [[nodiscard]] std::uint64_t total_popped() const noexcept { return indices_.read(); }

  // ================================================================ implementation details
private:
  static std::size_t round_up_capacity(std::size_t min_capacity) {
    return detail::SpscIndices::round_up_capacity(min_capacity, sizeof(T), "SpscRing");
  }

  template <class U> RingRegions<U> regions_at(detail::SlotRun run) const noexcept {
    const std::size_t start = static_cast<std::size_t>(run.index & indices_.mask());
    const std::size_t to_end = indices_.capacity() - start;
    const std::size_t first = run.count < to_end ? run.count : to_end;
    return {std::span<U>(slots_ + start, first), std::span<U>(slots_, run.count - first)};
  }

  static void copy_in(std::span<T> to, const T* from) noexcept {
    if (!to.empty()) std::memcpy(to.data(), from, to.size_bytes());
  }
  static void copy_out(std::span<const T> from, T* to) noexcept {
    if (!from.empty()) std::memcpy(to, from.data(), from.size_bytes());
  }

  detail::SpscIndices indices_;
  // Read-only after construction, and on a line of their own: SpscIndices is whole lines.
  std::unique_ptr<T[]> storage_; // owns slots_; touched only by the constructor/destructor
  T* slots_;
};

} // namespace ringbuf
