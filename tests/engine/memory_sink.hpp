// tests/engine/memory_sink.hpp - a FrameSink that keeps frames in memory, with injectable failure.
#pragma once

#include "engine/core/frame_sink.hpp"

#include <vector>

namespace rc::test {

/// Collects everything written; fails every write after `fail_after_frames` when set.
class MemorySink final : public FrameSink {
public:
  std::vector<StereoFrame> frames;
  std::size_t fail_after_frames = static_cast<std::size_t>(-1);
  int checkpoints = 0;

  bool write(std::span<const StereoFrame> block) override {
    if (frames.size() + block.size() > fail_after_frames) return false;
    frames.insert(frames.end(), block.begin(), block.end());
    return true;
  }
  void checkpoint() override { ++checkpoints; }
  [[nodiscard]] std::string error() const override { return "injected write failure"; }
};

} // namespace rc::test
