// engine/capture/frame_history.hpp - the most recent frames of a timeline, in one thread's
// memory: the pre-roll a triggered take starts with, and the frames a take has not yet written.
#pragma once

#include "engine/audio/frames.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace rc {

/// A circular buffer of the last capacity() frames of a timeline of `channels()` channels: the
/// frame at timeline position p lives at p % capacity(). One thread pushes and reads (the
/// capture worker); 4 bytes a sample.
class FrameHistory {
public:
  /// Effects: allocates (and touches) `capacity` frames of `channels` samples.
  /// Preconditions: capacity >= 1, channels >= 1. Throws: std::bad_alloc.
  FrameHistory(std::size_t capacity, int channels)
      : samples_(capacity * static_cast<std::size_t>(channels)), capacity_(capacity),
        channels_(channels) {}

  /// Effects: appends `frames` to the timeline, replacing the oldest frames held.
  /// Preconditions: frames.frames <= capacity(), frames.channels == channels().
  /// Real-time: a bounded copy, no allocation.
  void push(ConstFrames frames) noexcept {
    const std::size_t start = static_cast<std::size_t>(end_ % capacity_);
    const std::size_t first = std::min(frames.frames, capacity_ - start);
    std::copy_n(frames.data, first * stride(), at(start));
    std::copy_n(frames.frame(first), (frames.frames - first) * stride(), at(0));
    end_ += frames.frames;
  }

  /// Returns: the held frames from timeline position `from`, as many as lie contiguously in
  /// memory, at most `max`. Preconditions: oldest() <= from <= end().
  [[nodiscard]] ConstFrames held(std::uint64_t from, std::uint64_t max) const noexcept {
    const std::size_t start = static_cast<std::size_t>(from % capacity_);
    const std::uint64_t n = std::min({max, end_ - from, std::uint64_t{capacity_ - start}});
    return {samples_.data() + start * stride(), static_cast<std::size_t>(n), channels_};
  }

  /// Returns: the timeline position after the newest frame (frames pushed so far).
  [[nodiscard]] std::uint64_t end() const noexcept { return end_; }
  /// Returns: the timeline position of the oldest frame held.
  [[nodiscard]] std::uint64_t oldest() const noexcept {
    return end_ > capacity_ ? end_ - capacity_ : 0;
  }
  /// Returns: the frames it holds at most.
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  /// Returns: the samples per frame.
  [[nodiscard]] int channels() const noexcept { return channels_; }

private:
  [[nodiscard]] std::size_t stride() const noexcept { return static_cast<std::size_t>(channels_); }
  float* at(std::size_t frame) noexcept { return samples_.data() + frame * stride(); }

  std::vector<float> samples_;
  std::size_t capacity_;
  int channels_;
  std::uint64_t end_ = 0;
};

} // namespace rc
