// tests/engine/counter_block.hpp - test input whose samples say where they belong on the timeline.
#pragma once

#include <cstdint>
#include <vector>

namespace rc::test {

/// Returns: `frames` interleaved stereo frames whose left channel counts device frames from
/// `first`, plus one (so 0 is recognisable as silence), and whose right channel is 0.5.
inline std::vector<float> counter_block(std::uint64_t first, std::uint32_t frames) {
  std::vector<float> out;
  out.reserve(2 * std::size_t{frames});
  for (std::uint32_t i = 0; i < frames; ++i) {
    out.push_back(float(first + i + 1));
    out.push_back(0.5f);
  }
  return out;
}

/// The value channel `c` of a multichannel counter block carries at timeline frame `n`: n + 1
/// plus 100,000 per channel (exact in a float for n below 100,000 and c below 160).
inline float counter_sample(std::uint64_t n, int c) {
  return float(n + 1 + 100000ull * unsigned(c));
}

/// Returns: `frames` interleaved frames of `channels` channels, channel c of frame n carrying
/// counter_sample(first + n, c): every frame and every channel told apart.
inline std::vector<float> counter_block(std::uint64_t first, std::uint32_t frames, int channels) {
  std::vector<float> out;
  out.reserve(std::size_t{frames} * static_cast<std::size_t>(channels));
  for (std::uint32_t i = 0; i < frames; ++i)
    for (int c = 0; c < channels; ++c) out.push_back(counter_sample(first + i, c));
  return out;
}

} // namespace rc::test
