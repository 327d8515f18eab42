// engine/audio/input_conversion.cpp - see input_conversion.hpp.
#include "engine/audio/input_conversion.hpp"

namespace rc {

void convert_input(const float* input, std::size_t frames, int channels, ChannelPick pick,
                   std::span<StereoFrame> out) noexcept {
  if (input == nullptr) {
    for (std::size_t i = 0; i < frames; ++i) out[i] = StereoFrame{};
    return;
  }
  const auto stride = static_cast<std::size_t>(channels);
  const auto left = static_cast<std::size_t>(channels == 1 ? 0 : pick.left);
  const auto right = static_cast<std::size_t>(channels == 1 ? 0 : pick.right);
  for (std::size_t i = 0; i < frames; ++i) {
    const float* frame = input + i * stride;
    out[i] = StereoFrame{frame[left], frame[right]};
  }
}

} // namespace rc
