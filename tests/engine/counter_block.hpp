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

} // namespace rc::test
