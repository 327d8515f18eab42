// tests/engine/memory_sink.hpp - a FrameSink that keeps frames in memory, with injectable failure.
#pragma once

#include "engine/core/frame_sink.hpp"

#include <vector>

namespace rc::test {

/// Frames a test kept, interleaved, with access for its checks.
struct RecordedFrames {
  int channels = 0;           ///< Set by the first append.
  std::vector<float> samples; ///< size() × channels.

  /// The first two channels of one frame (a mono frame's one channel twice).
  struct Pair {
    float left;
    float right;
  };

  /// Returns: the number of frames kept.
  [[nodiscard]] std::size_t size() const noexcept {
    return channels > 0 ? samples.size() / static_cast<std::size_t>(channels) : 0;
  }
  /// Returns: channels 0 and 1 of frame `i`.
  [[nodiscard]] Pair operator[](std::size_t i) const noexcept {
    const float* f = samples.data() + i * static_cast<std::size_t>(channels);
    return {f[0], channels > 1 ? f[1] : f[0]};
  }
  /// Returns: channel `c` of frame `i`.
  [[nodiscard]] float at(std::size_t i, int c) const noexcept {
    return samples[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)];
  }
  /// Effects: appends `block` (of the channels of the blocks before it).
  void append(ConstFrames block) {
    channels = block.channels;
    samples.insert(samples.end(), block.data, block.data + block.samples());
  }
};

/// Collects everything written; fails every write after `fail_after_frames` when set.
class MemorySink final : public FrameSink {
public:
  RecordedFrames frames;
  std::size_t fail_after_frames = static_cast<std::size_t>(-1);
  int checkpoints = 0;

  bool write(ConstFrames block) override {
    if (frames.size() + block.frames > fail_after_frames) return false;
    frames.append(block);
    return true;
  }
  void checkpoint() override { ++checkpoints; }
  [[nodiscard]] std::string error() const override { return "injected write failure"; }
};

} // namespace rc::test
