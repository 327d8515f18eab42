// engine/capture/frame_history.hpp - the most recent frames of a timeline, in one thread's
// memory: the pre-roll a triggered take starts with, and the frames a take has not yet written.
#pragma once

#include "engine/audio/stereo_frame.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace rc {

/// A circular buffer of the last capacity() frames of a timeline: the frame at timeline position
/// p lives at p % capacity(). One thread pushes and reads (the capture worker); 8 bytes a frame.
class FrameHistory {
public:
  /// Effects: allocates (and touches) `capacity` frames. Preconditions: capacity >= 1.
  /// Throws: std::bad_alloc.
  explicit FrameHistory(std::size_t capacity) : frames_(capacity) {}

  /// Effects: appends `frames` to the timeline, replacing the oldest frames held.
  /// Preconditions: frames.size() <= capacity(). Real-time: a bounded copy, no allocation.
  void push(std::span<const StereoFrame> frames) noexcept {
    const std::size_t start = static_cast<std::size_t>(end_ % frames_.size());
    const std::size_t first = std::min(frames.size(), frames_.size() - start);
    std::copy_n(frames.begin(), first, frames_.begin() + static_cast<std::ptrdiff_t>(start));
    std::copy(frames.begin() + static_cast<std::ptrdiff_t>(first), frames.end(), frames_.begin());
    end_ += frames.size();
  }

  /// Returns: the held frames from timeline position `from`, as many as lie contiguously in
  /// memory, at most `max`. Preconditions: oldest() <= from <= end().
  [[nodiscard]] std::span<const StereoFrame> held(std::uint64_t from,
                                                  std::uint64_t max) const noexcept {
    const std::size_t start = static_cast<std::size_t>(from % frames_.size());
    const std::uint64_t n = std::min({max, end_ - from, std::uint64_t{frames_.size() - start}});
    return {frames_.data() + start, static_cast<std::size_t>(n)};
  }

  /// Returns: the timeline position after the newest frame (frames pushed so far).
  [[nodiscard]] std::uint64_t end() const noexcept { return end_; }
  /// Returns: the timeline position of the oldest frame held.
  [[nodiscard]] std::uint64_t oldest() const noexcept {
    return end_ > frames_.size() ? end_ - frames_.size() : 0;
  }
  /// Returns: the frames it holds at most.
  [[nodiscard]] std::size_t capacity() const noexcept { return frames_.size(); }

private:
  std::vector<StereoFrame> frames_;
  std::uint64_t end_ = 0;
};

} // namespace rc
