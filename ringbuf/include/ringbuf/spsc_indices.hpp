// ringbuf/spsc_indices.hpp - the index protocol shared by SpscRing and FrameRing.
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
//   * This class knows slots only as numbers: what a slot holds (one element, one frame of C
//     samples) and where it is stored is the ring's business. It allocates nothing.
//
// Invariants: 0 <= write_index - read_index <= capacity; capacity is a power of two.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace ringbuf {

/// The cache-line size the rings pad to. Fixed rather than
/// std::hardware_destructive_interference_size, whose value may change between compilers and
/// so must not shape a layout (GCC warns about exactly that).
inline constexpr std::size_t cache_line_size = 64;

/// Tag for the test-only constructors that start both indices at an arbitrary value.
struct start_index_for_testing_t {
  explicit start_index_for_testing_t() = default;
};
/// See start_index_for_testing_t.
inline constexpr start_index_for_testing_t start_index_for_testing{};

namespace detail {

/// A run of slots handed to one side: `count` slots from the free-running `index`.
struct SlotRun {
  std::uint64_t index; ///< The first slot's free-running index (mask it for a position).
  std::size_t count;   ///< How many slots, from 0.
};

/// The two indices of a single-producer/single-consumer ring of `capacity` slots, and nothing
/// else. Thread rules as SpscRing: "producer only" members from the one producer thread,
/// "consumer only" from the one consumer thread, "any thread" from anywhere. Every member except
/// the constructor is noexcept and wait-free.
class SpscIndices {
public:
  /// Effects: an empty ring of `capacity` slots whose indices start at `start`.
  /// Preconditions: capacity is a power of two (see round_up_capacity()).
  SpscIndices(std::size_t capacity, std::uint64_t start) noexcept : shared_{capacity} {
    producer_.write_index.store(start, std::memory_order_relaxed);
    producer_.cached_read_index = start;
    consumer_.read_index.store(start, std::memory_order_relaxed);
    consumer_.cached_write_index = start;
  }

  SpscIndices(const SpscIndices&) = delete;
  SpscIndices& operator=(const SpscIndices&) = delete;

  /// Any thread. Returns: the smallest power of two >= `min_capacity` slots of `slot_bytes`
  /// bytes each. Throws: std::invalid_argument (naming `ring`) if min_capacity is 0 or the
  /// storage would not fit in a size_t.
  static std::size_t round_up_capacity(std::size_t min_capacity, std::size_t slot_bytes,
                                       const char* ring) {
    constexpr std::size_t largest = std::size_t{1}
                                    << (std::numeric_limits<std::size_t>::digits - 1);
    if (min_capacity == 0)
      throw std::invalid_argument(std::string(ring) + ": capacity must be at least 1");
    if (slot_bytes == 0 || min_capacity > largest / slot_bytes)
      throw std::invalid_argument(std::string(ring) + ": capacity too large");
    std::size_t capacity = 1;
    while (capacity < min_capacity) capacity <<= 1;
    return capacity;
  }

  // ---------------------------------------------------------------- producer only

  /// Producer only. Effects: sets `index` to the first free slot's index.
  /// Returns: true, or false (`index` untouched) when the ring is full.
  /// Non-blocking guarantee: wait-free.
  [[nodiscard]] bool free_slot(std::uint64_t& index) noexcept {
    const std::uint64_t w = producer_.write_index.load(std::memory_order_relaxed);
    if (w - producer_.cached_read_index == shared_.capacity) {
      producer_.cached_read_index = consumer_.read_index.load(std::memory_order_acquire);
      if (w - producer_.cached_read_index == shared_.capacity) return false;
    }
    index = w;
    return true;
  }

  /// Producer only. Returns: the free slots, at most `max_n` of them, from the write index.
  /// Non-blocking guarantee: wait-free.
  [[nodiscard]] SlotRun free_slots(std::size_t max_n) noexcept {
    const std::uint64_t w = producer_.write_index.load(std::memory_order_relaxed);
    std::size_t available =
        shared_.capacity - static_cast<std::size_t>(w - producer_.cached_read_index);
    if (available < max_n) {
      producer_.cached_read_index = consumer_.read_index.load(std::memory_order_acquire);
      available = shared_.capacity - static_cast<std::size_t>(w - producer_.cached_read_index);
    }
    return {w, available < max_n ? available : max_n};
  }

  /// Producer only. Effects: publishes `n` slots from the write index to the consumer.
  /// Preconditions: n <= the last free_slots() count (or 1 after free_slot()), slots written.
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

  /// Consumer only. Effects: sets `index` to the oldest filled slot's index.
  /// Returns: true, or false (`index` untouched) when the ring is empty.
  /// Non-blocking guarantee: wait-free.
  [[nodiscard]] bool filled_slot(std::uint64_t& index) noexcept {
    const std::uint64_t r = consumer_.read_index.load(std::memory_order_relaxed);
    if (r == consumer_.cached_write_index) {
      consumer_.cached_write_index = producer_.write_index.load(std::memory_order_acquire);
      if (r == consumer_.cached_write_index) return false;
    }
    index = r;
    return true;
  }

  /// Consumer only. Returns: the filled slots, oldest first, at most `max_n` of them.
  /// Non-blocking guarantee: wait-free.
  [[nodiscard]] SlotRun filled_slots(std::size_t max_n) noexcept {
    const std::uint64_t r = consumer_.read_index.load(std::memory_order_relaxed);
    std::size_t available = static_cast<std::size_t>(consumer_.cached_write_index - r);
    if (available < max_n) {
      consumer_.cached_write_index = producer_.write_index.load(std::memory_order_acquire);
      available = static_cast<std::size_t>(consumer_.cached_write_index - r);
    }
    return {r, available < max_n ? available : max_n};
  }

  /// Consumer only. Effects: frees `n` slots from the read index for the producer.
  /// Preconditions: n <= the last filled_slots() count (or 1 after filled_slot()).
  /// Non-blocking guarantee: wait-free.
  void commit_read(std::size_t n) noexcept {
    const std::uint64_t r = consumer_.read_index.load(std::memory_order_relaxed);
    consumer_.read_index.store(r + n, std::memory_order_release);
  }

  // ---------------------------------------------------------------- any thread

  /// Any thread. Returns: the number of slots (a power of two); constant.
  [[nodiscard]] std::size_t capacity() const noexcept { return shared_.capacity; }
  /// Any thread. Returns: capacity() - 1, to turn an index into a position; constant.
  [[nodiscard]] std::size_t mask() const noexcept { return shared_.mask; }

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

  /// Any thread. Returns: the write index (slots ever written, modulo 2^64, from the start).
  [[nodiscard]] std::uint64_t written() const noexcept {
    return producer_.write_index.load(std::memory_order_acquire);
  }
  /// Any thread. Returns: the read index (slots ever read, modulo 2^64, from the start).
  [[nodiscard]] std::uint64_t read() const noexcept {
    return consumer_.read_index.load(std::memory_order_acquire);
  }

private:
  // Read-only after construction; on its own line so index stores never invalidate it.
  struct alignas(cache_line_size) Shared {
    explicit Shared(std::size_t cap) : capacity(cap), mask(cap - 1) {}
    std::size_t capacity;
    std::size_t mask;
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
};

static_assert(sizeof(SpscIndices) == 3 * cache_line_size, "one line per side, one shared");

} // namespace detail
} // namespace ringbuf
