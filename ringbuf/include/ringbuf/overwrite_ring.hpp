// ringbuf/overwrite_ring.hpp - a recency ring: keeps the newest N elements, overwriting the oldest.
//
// For pre-record buffers and real-time-safe event logs: the writer never waits for anyone, and
// any number of readers copy elements out and learn, exactly, how many they missed.
//
// Design
//   * Element number s (s = 0, 1, 2, ... counted by the writer) lives in slot s % capacity.
//   * Each slot carries a header word, its sequence tag: 2(s+1) once element s is complete there,
//     2(s+1)-1 while the writer is overwriting it with element s, 0 before first use. A per-slot
//     seqlock: a reader copies the payload between two loads of the tag and keeps the copy only if
//     both loads show exactly the tag it expected.
//   * The payload is stored as atomic words so that a reader racing the writer reads
//     stale or torn words (which the tag check discards) instead of undefined behaviour, and so
//     ThreadSanitizer can verify the protocol.
//   * A reader's cursor is the sequence number of the next element it wants. When the writer has
//     moved more than `capacity` past it, or it meets a tag newer than expected, it was lapped:
//     the elements between its cursor and the oldest one still held are counted as lost.
//
// Invariants: written() only grows; element s is readable iff written() - capacity <= s < written()
// and its slot's tag is 2(s+1).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <stdexcept>
#include <type_traits>

#include "ringbuf/spsc_ring.hpp" // cache_line_size

namespace ringbuf {

/// What one OverwriteRing::read() call produced.
struct OverwriteReadResult {
  std::size_t copied = 0; ///< Elements copied to the destination, consecutive in sequence.
  std::uint64_t first_sequence = 0; ///< Sequence number of the first element copied.
  std::uint64_t lost = 0;           ///< Elements overwritten before this reader could copy them.
};

/// A bounded ring of trivially copyable `T` where one writer overwrites the oldest elements and
/// readers detect, by sequence number, how many they lost.
///
/// Thread rules: one writer thread at a time (members marked "writer only"); any number of reader
/// threads, each with its own Cursor ("reader"). The writer is wait-free; readers are lock-free.
template <class T> class OverwriteRing {
  static_assert(std::is_trivially_copyable_v<T>, "elements are copied word by word");

public:
  using value_type = T;

  /// A reader's position: the sequence number of the next element it wants. Start one with
  /// oldest_cursor() (everything still held) or newest_cursor() (only what comes next).
  struct Cursor {
    std::uint64_t next = 0; ///< Sequence number of the next element to read.
  };

  /// Effects: allocates `capacity` slots (not rounded: a pre-roll of exactly N frames holds N).
  /// Throws: std::invalid_argument if capacity is 0 or too large; std::bad_alloc.
  explicit OverwriteRing(std::size_t capacity) : capacity_(checked(capacity)) {
    slots_ = std::make_unique<Slot[]>(capacity_);
  }

  OverwriteRing(const OverwriteRing&) = delete;
  OverwriteRing& operator=(const OverwriteRing&) = delete;

  /// Writer only. Effects: appends `value` as element written(), overwriting the oldest element
  /// if the ring is full. Non-blocking guarantee: wait-free; never waits for readers.
  void push(const T& value) noexcept {
    const std::uint64_t s = written_.load(std::memory_order_relaxed);
    Slot& slot = slots_[static_cast<std::size_t>(s % capacity_)];
    slot.tag.store(2 * (s + 1) - 1, std::memory_order_relaxed);
    Words words{};
    std::memcpy(words.data(), &value, sizeof(T));
    // Release on each payload word orders the "writing" tag before it: a reader whose acquire
    // load sees any new word also sees a tag other than the one it expected. (Per-word release
    // instead of one fence: plain stores on x86, and ThreadSanitizer understands it.)
    for (std::size_t i = 0; i < words_per_element; ++i)
      slot.words[i].store(words[i], std::memory_order_release);
    slot.tag.store(2 * (s + 1), std::memory_order_release);
    written_.store(s + 1, std::memory_order_release);
  }

  /// Writer only. Effects: push() for each of the n elements of `src`, in order.
  /// Non-blocking guarantee: wait-free (n iterations).
  void push(const T* src, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) push(src[i]);
  }

  /// Reader. Returns: a cursor at the oldest element still held.
  [[nodiscard]] Cursor oldest_cursor() const noexcept {
    const std::uint64_t w = written();
    return {w > capacity_ ? w - capacity_ : 0};
  }

  /// Reader. Returns: a cursor at the next element to be written (reads only what follows).
  [[nodiscard]] Cursor newest_cursor() const noexcept { return {written()}; }

  /// Reader. Effects: copies up to dst.size() consecutive elements starting at the cursor (or,
  /// if those were overwritten, at the oldest element still held) and advances the cursor past
  /// them. Returns: how many were copied, the first one's sequence number, and how many elements
  /// before it this cursor lost to the writer. Stops early at a lap, so `copied` is always one
  /// consecutive run. Non-blocking guarantee: lock-free (retries only when the writer laps it).
  OverwriteReadResult read(Cursor& cursor, std::span<T> dst) const noexcept {
    OverwriteReadResult result;
    result.lost = skip_overwritten(cursor);
    result.first_sequence = cursor.next;
    while (result.copied < dst.size()) {
      const std::uint64_t s = cursor.next;
      const ReadOutcome outcome = read_one(s, dst[result.copied]);
      if (outcome == ReadOutcome::not_yet_written) break;
      if (outcome == ReadOutcome::overwritten) {
        if (result.copied > 0) break; // report this run; the next call counts the loss
        result.lost += skip_overwritten(cursor, /*lapped=*/true);
        result.first_sequence = cursor.next;
        continue;
      }
      ++result.copied;
      ++cursor.next;
    }
    return result;
  }

  /// Any thread. Returns: how many elements the writer has ever pushed (the next sequence).
  [[nodiscard]] std::uint64_t written() const noexcept {
    return written_.load(std::memory_order_acquire);
  }

  /// Any thread. Returns: the number of slots; constant.
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

  // ================================================================ implementation details
private:
  static constexpr std::size_t words_per_element = (sizeof(T) + 7) / 8;
  using Words = std::array<std::uint64_t, words_per_element>;

  struct Slot {
    std::atomic<std::uint64_t> tag{0};
    std::array<std::atomic<std::uint64_t>, words_per_element> words{};
  };

  enum class ReadOutcome { copied, not_yet_written, overwritten };

  static std::size_t checked(std::size_t capacity) {
    if (capacity == 0) throw std::invalid_argument("OverwriteRing: capacity must be at least 1");
    if (capacity > (std::size_t{1} << 40) / sizeof(Slot))
      throw std::invalid_argument("OverwriteRing: capacity too large");
    return capacity;
  }

  // Moves the cursor to the oldest element still held if it has fallen behind; returns the
  // number of elements skipped. After a detected lap the oldest slot is the next to be
  // overwritten, so start one element further in to make progress against a busy writer.
  std::uint64_t skip_overwritten(Cursor& cursor, bool lapped = false) const noexcept {
    const std::uint64_t w = written();
    std::uint64_t oldest = w > capacity_ ? w - capacity_ : 0;
    if (lapped && oldest < w && capacity_ > 1) ++oldest;
    if (cursor.next >= oldest) return 0;
    const std::uint64_t skipped = oldest - cursor.next;
    cursor.next = oldest;
    return skipped;
  }

  ReadOutcome read_one(std::uint64_t s, T& out) const noexcept {
    const Slot& slot = slots_[static_cast<std::size_t>(s % capacity_)];
    const std::uint64_t expected = 2 * (s + 1);
    const std::uint64_t before = slot.tag.load(std::memory_order_acquire);
    if (before < expected) return ReadOutcome::not_yet_written; // older element, or mid-write
    if (before != expected) return ReadOutcome::overwritten;
    Words words;
    // Acquire pairs with the writer's release on each word: if any word came from a later
    // write, the tag load below sees that write's "writing" tag (or a later one).
    for (std::size_t i = 0; i < words_per_element; ++i)
      words[i] = slot.words[i].load(std::memory_order_acquire);
    if (slot.tag.load(std::memory_order_relaxed) != expected) return ReadOutcome::overwritten;
    std::memcpy(static_cast<void*>(&out), words.data(), sizeof(T)); // T may have initializers
    return ReadOutcome::copied;
  }

  std::size_t capacity_;
  std::unique_ptr<Slot[]> slots_;
  alignas(cache_line_size) std::atomic<std::uint64_t> written_{0};
};

} // namespace ringbuf
