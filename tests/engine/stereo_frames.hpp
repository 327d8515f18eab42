// tests/engine/stereo_frames.hpp - stereo frames as tests like to write them ({left, right}),
// interleaved into the engine's frame views.
#pragma once

#include "engine/audio/frames.hpp"

#include <vector>

namespace rc::test {

/// One stereo frame, for tests that build their signals frame by frame.
struct StereoFrame {
  float left = 0.0f;  ///< Channel 0.
  float right = 0.0f; ///< Channel 1.
};

/// An interleaved copy of stereo frames that converts to ConstFrames (2 channels) for as long as
/// it lives: `sink.write(Interleaved(frames))`.
class Interleaved {
public:
  explicit Interleaved(const std::vector<StereoFrame>& frames) : frames_(frames.size()) {
    samples_.reserve(2 * frames.size());
    for (const StereoFrame& f : frames) {
      samples_.push_back(f.left);
      samples_.push_back(f.right);
    }
  }
  /// Returns: the frames, interleaved.
  operator ConstFrames() const noexcept { return {samples_.data(), frames_, 2}; }

private:
  std::size_t frames_;
  std::vector<float> samples_;
};

/// Returns: `samples` (interleaved stereo) as stereo frames.
inline std::vector<StereoFrame> stereo_frames(const std::vector<float>& samples) {
  std::vector<StereoFrame> out(samples.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = {samples[2 * i], samples[2 * i + 1]};
  return out;
}

} // namespace rc::test
