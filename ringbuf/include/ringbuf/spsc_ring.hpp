// ringbuf/spsc_ring.hpp - a bounded, lock-free, wait-free single-producer/single-consumer ring.
//
// Design
//   * Two free-running 64-bit indices: `write_index` (slots ever written) and `read_index` (slots
//     ever read). size = write - read in modular arithmetic, so every slot is usable (no wasted
//     slot) and the indices can wrap past 2^64 without a special case.
//   * Each side's state lives on its own cache line together with its cached copy of the other
//     side's index. A side reloads the other's index (the only cross-core traffic besides the
//     data) only when its cache says the ring is full (producer) or empty (consumer).
//   * The producer publishes slots with a release store of `write_index`; the consumer acquires it
//     before reading them, and symmetrically for freed slots. Nothing else needs ordering.
//   * All storage is allocated, and value-initialised (so every page is touched and no page fault
//     reaches the audio thread), in the constructor. No member after it allocates, locks, throws
//     or makes a system call.
//
// Invariants: 0 <= write_index - read_index <= capacity; capacity is a power of two.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <stdexcept>
#include <type_traits>

namespace ringbuf {

/// The cache-line size the rings pad to. Fixed rather than
/// std::hardware_destructive_interference_size, whose value may change between compilers and
/// so must not shape a layout (GCC warns about exactly that).
inline constexpr std::size_t cache_line_size = 64;

/// Tag for the test-only constructor that starts both indices at an arbitrary value.
struct start_index_for_testing_t {
  explicit start_index_for_testing_t() = default;
};
/// See start_index_for_testing_t.
inline constexpr start_index_for_testing_t start_index_for_testing{};

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
      : shared_{round_up_capacity(min_capacity)} {
    slots_ = std::make_unique<T[]>(shared_.capacity);
    shared_.slots = slots_.get();
    producer_.write_index.store(start, std::memory_order_relaxed);
    producer_.cached_read_index = start;
    consumer_.read_index.store(start, std::memory_order_relaxed);
    consumer_.cached_write_index = start;
  }

  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  // ---------------------------------------------------------------- producer only

  /// Producer only. Effects: appends `value` if a slot is free.
  /// Returns: true if appended, false if the ring was full (nothing changes).
  /// Non-blocking guarantee: wait-free.
  [[nodiscard]] bool try_push(const T& value) noexcept {
    const std::uint64_t w = producer_.write_index.load(std::memory_order_relaxed);
    if (w - producer_.cached_read_index == shared_.capacity) {
      producer_.cached_read_index = consumer_.read_index.load(std::memory_order_acquire);
      if (w - producer_.cached_read_index == shared_.capacity) return false;
    }
    shared_.slots[w & shared_.mask] = value;
    producer_.write_index.store(w + 1, std::memory_order_release);
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
    const std::uint64_t w = producer_.write_index.load(std::memory_order_relaxed);
    std::size_t available =
        shared_.capacity - static_cast<std::size_t>(w - producer_.cached_read_index);
    if (available < max_n) {
      producer_.cached_read_index = consumer_.read_index.load(std::memory_order_acquire);
      available = shared_.capacity - static_cast<std::size_t>(w - producer_.cached_read_index);
    }
    return regions_at<T>(w, available < max_n ? available : max_n);
  }

  /// Producer only. Effects: publishes the first `n` slots of the last write_regions() to the
  /// consumer. Preconditions: n <= that call's size(), and the slots have been written.
  /// Non-blocking guarantee: wait-free.
  void commit_write(std::size_t n) noexcept {
    const std::uint64_t w = producer_.write_index.load(std::memory_order_relaxed);
    producer_.write_index.store(w + n, std::memory_order_release);
  }

  /// Producer only. Returns: the number of free slots; exact for the producer, a lower bound
  /// because the consumer may free more at any moment.
  [[nodiscard]] std::size_t free_space() const noexcept {
    const std::uint64_t w = producer_.write_index.load(std::memory_order_relaxed);
    const std::uint64_t r = consumer_.read_index.load(std::memory_order_acquire);
    return shared_.capacity - static_cast<std::size_t>(w - r);
  }

  // ---------------------------------------------------------------- consumer only

  /// Consumer only. Effects: removes the oldest element into `out` if there is one.
  /// Returns: true if an element was removed, false if the ring was empty (`out` untouched).
  /// Non-blocking guarantee: wait-free.
  [[nodiscard]] bool try_pop(T& out) noexcept {
    const std::uint64_t r = consumer_.read_index.load(std::memory_order_relaxed);
    if (r == consumer_.cached_write_index) {
      consumer_.cached_write_index = producer_.write_index.load(std::memory_order_acquire);
      if (r == consumer_.cached_write_index) return false;
    }
    out = shared_.slots[r & shared_.mask];
    consumer_.read_index.store(r + 1, std::memory_order_release);
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
    const std::uint64_t r = consumer_.read_index.load(std::memory_order_relaxed);
    std::size_t available = static_cast<std::size_t>(consumer_.cached_write_index - r);
    if (available < max_n) {
      consumer_.cached_write_index = producer_.write_index.load(std::memory_order_acquire);
      available = static_cast<std::size_t>(consumer_.cached_write_index - r);
    }
    return regions_at<const T>(r, available < max_n ? available : max_n);
  }

  /// Consumer only. Effects: frees the first `n` slots of the last read_regions() for the
  /// producer. Preconditions: n <= that call's size().
  /// Non-blocking guarantee: wait-free.
  void commit_read(std::size_t n) noexcept {
    const std::uint64_t r = consumer_.read_index.load(std::memory_order_relaxed);
    consumer_.read_index.store(r + n, std::memory_order_release);
  }

  // ---------------------------------------------------------------- any thread

  /// Any thread. Returns: the number of slots (a power of two); constant.
  [[nodiscard]] std::size_t capacity() const noexcept { return shared_.capacity; }

  /// Any thread. Returns: the capacity a ring constructed with `min_capacity` gets (to size what
  /// depends on it before the ring exists). Throws: as the constructor.
  [[nodiscard]] static std::size_t capacity_for(std::size_t min_capacity) {
    return round_up_capacity(min_capacity);
  }

  /// Any thread. Returns: the number of filled slots. Exact when both sides are idle; from the
  /// consumer a lower bound (the producer may add), from the producer an upper bound (the
  /// consumer may remove); from a third thread a snapshot clamped to [0, capacity].
  [[nodiscard]] std::size_t size() const noexcept {
    // Load read first: write_index only grows, so a later load of it is >= this read_index.
    const std::uint64_t r = consumer_.read_index.load(std::memory_order_acquire);
    const std::uint64_t w = producer_.write_index.load(std::memory_order_acquire);
    const std::uint64_t n = w - r;
    return n > shared_.capacity ? shared_.capacity : static_cast<std::size_t>(n);
  }

  /// Any thread. Returns: size() == 0, with the same exactness as size().
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }

  /// Any thread. Returns: the total number of elements ever pushed (modulo 2^64), counted from
  /// the start index. Exact on the producer; a lower bound elsewhere.
  [[nodiscard]] std::uint64_t total_pushed() const noexcept {
    return producer_.write_index.load(std::memory_order_acquire);
  }

  /// Any thread. Returns: the total number of elements ever popped (modulo 2^64), counted from
  /// the start index. Exact on the consumer; a lower bound elsewhere.
  [[nodiscard]] std::uint64_t total_popped() const noexcept {
    return consumer_.read_index.load(std::memory_order_acquire);
  }

  // ================================================================ implementation details
private:
  static std::size_t round_up_capacity(std::size_t min_capacity) {
    constexpr std::size_t largest = std::size_t{1}
                                    << (std::numeric_limits<std::size_t>::digits - 1);
    if (min_capacity == 0) throw std::invalid_argument("SpscRing: capacity must be at least 1");
    if (min_capacity > largest / sizeof(T))
      throw std::invalid_argument("SpscRing: capacity too large");
    std::size_t capacity = 1;
    while (capacity < min_capacity) capacity <<= 1;
    return capacity;
  }

  template <class U> RingRegions<U> regions_at(std::uint64_t index, std::size_t n) const noexcept {
    const std::size_t start = static_cast<std::size_t>(index & shared_.mask);
    const std::size_t to_end = shared_.capacity - start;
    const std::size_t first = n < to_end ? n : to_end;
    return {std::span<U>(shared_.slots + start, first), std::span<U>(shared_.slots, n - first)};
  }

  static void copy_in(std::span<T> to, const T* from) noexcept {
    if (!to.empty()) std::memcpy(to.data(), from, to.size_bytes());
  }
  static void copy_out(std::span<const T> from, T* to) noexcept {
    if (!from.empty()) std::memcpy(to, from.data(), from.size_bytes());
  }

  // Read-only after construction; on its own line so index stores never invalidate it.
  struct alignas(cache_line_size) Shared {
    explicit Shared(std::size_t cap) : capacity(cap), mask(cap - 1) {}
    std::size_t capacity;
    std::size_t mask;
    T* slots = nullptr;
  };
  // Written by the producer only (the cache is private to it).
  struct alignas(cache_line_size) ProducerState {
    std::atomic<std::uint64_t> write_index{0};
    std::uint64_t cached_read_index = 0;
  };
  // Written by the consumer only (the cache is private to it).
  struct alignas(cache_line_size) ConsumerState {
    std::atomic<std::uint64_t> read_index{0};
    std::uint64_t cached_write_index = 0;
  };

  static_assert(sizeof(Shared) == cache_line_size && alignof(Shared) == cache_line_size);
  static_assert(sizeof(ProducerState) == cache_line_size);
  static_assert(sizeof(ConsumerState) == cache_line_size);
  static_assert(std::atomic<std::uint64_t>::is_always_lock_free, "indices must be lock-free");

  Shared shared_;
  ProducerState producer_;
  ConsumerState consumer_;
  std::unique_ptr<T[]> slots_; // owns shared_.slots; touched only by the constructor/destructor
};

} // namespace ringbuf
