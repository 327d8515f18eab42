// ringbuf/spsc_frame_ring.hpp - a lock-free single-producer/single-consumer ring of audio
// frames: interleaved float samples, `channels` per frame, the channel count fixed per ring.
//
// Design
//   * A slot is one whole frame (`channels` consecutive floats), and the indices count frames, so
//     a region never splits a frame at the wrap, whatever the channel count (SpscRing<float> in
//     samples would tear a 3-channel frame across it).
//   * The index protocol is detail::SpscIndices, the same code as SpscRing's (see
//     spsc_indices.hpp): one copy of the concurrency logic, tested through both rings.
//   * All storage is allocated and zeroed (every page touched) in the constructor. No member
//     after it allocates, locks, throws or makes a system call.
//
// Invariants: 0 <= frames written - frames read <= capacity; capacity is a power of two.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <stdexcept>

#include "ringbuf/spsc_indices.hpp"

namespace ringbuf {

/// A run of whole frames in a FrameRing: `frames` frames of interleaved samples.
template <class F> struct FrameRun {
  std::span<F> samples; ///< frames × channels samples, frame after frame.
  std::size_t frames;   ///< How many frames `samples` holds.
};

/// Up to two contiguous runs of frames: `first`, then `second` (empty unless the run wraps).
template <class F> struct FrameRegions {
  FrameRun<F> first;  ///< Frames from the current index to the end of storage (or fewer).
  FrameRun<F> second; ///< Frames continuing at the start of storage; empty if no wrap.
  /// Total number of frames in both regions.
  [[nodiscard]] std::size_t frames() const noexcept { return first.frames + second.frames; }
};

/// A bounded single-producer/single-consumer FIFO of frames of `channels()` float samples.
///
/// Thread rules: exactly one thread at a time acts as the producer (the members marked
/// "producer only") and exactly one as the consumer ("consumer only"). Members marked "any thread"
/// may be called from anywhere. Every member except the constructors and capacity_for() is
/// noexcept and wait-free.
class FrameRing {
public:
  using sample_type = float;

  /// Effects: allocates and zeroes storage for the smallest power of two >= `min_frames` frames
  /// of `channels` samples. Throws: std::invalid_argument if channels or min_frames is 0 or the
  /// storage would not fit in memory's address range; std::bad_alloc if it cannot be allocated.
  FrameRing(std::size_t channels, std::size_t min_frames)
      : FrameRing(channels, min_frames, start_index_for_testing, 0) {}

  /// Test-only: as above, but both indices start at `start` (e.g. just below 2^64) so that
  /// tests can exercise index wrap-around without pushing 2^64 frames.
  FrameRing(std::size_t channels, std::size_t min_frames, start_index_for_testing_t,
            std::uint64_t start)
      : indices_(capacity_for(channels, min_frames), start), channels_(channels),
        storage_(std::make_unique<float[]>(indices_.capacity() * channels)),
        samples_(storage_.get()) {}

  FrameRing(const FrameRing&) = delete;
  FrameRing& operator=(const FrameRing&) = delete;

  // ---------------------------------------------------------------- producer only

  /// Producer only. Effects: appends the first min(frames, free) frames of `src` in order.
  /// Returns: how many frames were appended (0 when full).
  /// Preconditions: `src` points to at least frames × channels() samples.
  /// Non-blocking guarantee: wait-free (two memcpy calls at most).
  std::size_t push(const float* src, std::size_t frames) noexcept {
    const FrameRegions<float> regions = write_regions(frames);
    copy(regions.first.samples, src);
    copy(regions.second.samples, src + regions.first.samples.size());
    commit_write(regions.frames());
    return regions.frames();
  }

  /// Producer only. Returns: the free frames, at most `max_frames` of them, as up to two
  /// contiguous regions to fill in place (zero-copy); publish them with commit_write().
  /// Non-blocking guarantee: wait-free.
  [[nodiscard]] FrameRegions<float>
  write_regions(std::size_t max_frames = std::numeric_limits<std::size_t>::max()) noexcept {
    return regions_at<float>(indices_.free_slots(max_frames));
  }

  /// Producer only. Effects: publishes the first `frames` frames of the last write_regions() to
  /// the consumer. Preconditions: frames <= that call's frames(), and they have been written.
  /// Non-blocking guarantee: wait-free.
  void commit_write(std::size_t frames) noexcept { indices_.commit_write(frames); }

  /// Producer only. Returns: the number of free frames; exact for the producer, a lower bound
  /// because the consumer may free more at any moment.
  [[nodiscard]] std::size_t free_space() const noexcept { return indices_.free_space(); }

  // ---------------------------------------------------------------- consumer only

  /// Consumer only. Effects: removes the oldest min(frames, size) frames into `dst` in order.
  /// Returns: how many frames were removed (0 when empty).
  /// Preconditions: `dst` has room for frames × channels() samples.
  /// Non-blocking guarantee: wait-free (two memcpy calls at most).
  std::size_t pop(float* dst, std::size_t frames) noexcept {
    const FrameRegions<const float> regions = read_regions(frames);
    copy(dst, regions.first.samples);
    copy(dst + regions.first.samples.size(), regions.second.samples);
    commit_read(regions.frames());
    return regions.frames();
  }

  /// Consumer only. Returns: the filled frames, oldest first, at most `max_frames` of them, as
  /// up to two contiguous regions to read in place (zero-copy); release them with commit_read().
  /// Non-blocking guarantee: wait-free.
  [[nodiscard]] FrameRegions<const float>
  read_regions(std::size_t max_frames = std::numeric_limits<std::size_t>::max()) noexcept {
    return regions_at<const float>(indices_.filled_slots(max_frames));
  }

  /// Consumer only. Effects: frees the first `frames` frames of the last read_regions() for the
  /// producer. Preconditions: frames <= that call's frames().
  /// Non-blocking guarantee: wait-free.
  void commit_read(std::size_t frames) noexcept { indices_.commit_read(frames); }

  // ---------------------------------------------------------------- any thread

  /// Any thread. Returns: the samples per frame; constant.
  [[nodiscard]] std::size_t channels() const noexcept { return channels_; }

  /// Any thread. Returns: the number of frames the ring holds (a power of two); constant.
  [[nodiscard]] std::size_t capacity() const noexcept { return indices_.capacity(); }

  /// Any thread. Returns: the capacity in frames a ring of `channels` constructed with
  /// `min_frames` gets (to size what depends on it before the ring exists).
  /// Throws: std::invalid_argument as the constructor.
  [[nodiscard]] static std::size_t capacity_for(std::size_t channels, std::size_t min_frames) {
    if (channels == 0) throw std::invalid_argument("FrameRing: a frame needs at least 1 channel");
    if (channels > std::numeric_limits<std::size_t>::max() / sizeof(float))
      throw std::invalid_argument("FrameRing: capacity too large");
    return detail::SpscIndices::round_up_capacity(min_frames, channels * sizeof(float),
                                                  "FrameRing");
  }

  /// Any thread. Returns: the number of filled frames, with SpscRing::size()'s exactness.
  [[nodiscard]] std::size_t size() const noexcept { return indices_.size(); }

  /// Any thread. Returns: size() == 0, with the same exactness as size().
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }

  /// Any thread. Returns: the total number of frames ever pushed (modulo 2^64), counted from the
  /// start index. Exact on the producer; a lower bound elsewhere.
  [[nodiscard]] std::uint64_t total_pushed() const noexcept { return indices_.written(); }

  /// Any thread. Returns: the total number of frames ever popped (modulo 2^64), counted from the
  /// start index. Exact on the consumer; a lower bound elsewhere.
  [[nodiscard]] std::uint64_t total_popped() const noexcept { return indices_.read(); }

  // ================================================================ implementation details
private:
  template <class F> FrameRegions<F> regions_at(detail::SlotRun run) const noexcept {
    const std::size_t start = static_cast<std::size_t>(run.index & indices_.mask());
    const std::size_t to_end = indices_.capacity() - start;
    const std::size_t first = run.count < to_end ? run.count : to_end;
    return {{std::span<F>(samples_ + start * channels_, first * channels_), first},
            {std::span<F>(samples_, (run.count - first) * channels_), run.count - first}};
  }

  static void copy(std::span<float> to, const float* from) noexcept {
    if (!to.empty()) std::memcpy(to.data(), from, to.size_bytes());
  }
  static void copy(float* to, std::span<const float> from) noexcept {
    if (!from.empty()) std::memcpy(to, from.data(), from.size_bytes());
  }

  detail::SpscIndices indices_;
  // Read-only after construction, and on a line of their own: SpscIndices is whole lines.
  std::size_t channels_;
  std::unique_ptr<float[]> storage_; // owns samples_; touched only by constructor/destructor
  float* samples_;
};

static_assert(alignof(FrameRing) == cache_line_size, "the index lines stay aligned");

} // namespace ringbuf
