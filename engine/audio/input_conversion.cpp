// engine/audio/input_conversion.cpp - see input_conversion.hpp.
#include "engine/audio/input_conversion.hpp"

#include <algorithm>
#include <cstring>

namespace rc {

namespace {
bool is_identity(int device_channels, const ChannelMap& map) noexcept {
  if (map.count != device_channels) return false;
  for (int k = 0; k < map.count; ++k)
    if (map.source[static_cast<std::size_t>(k)] != k) return false;
  return true;
}
} // namespace

void convert_input(const float* input, int device_channels, const ChannelMap& map,
                   Frames out) noexcept {
  if (out.frames == 0) return;
  if (input == nullptr) {
    std::fill_n(out.data, out.samples(), 0.0f);
    return;
  }
  if (is_identity(device_channels, map)) {
    std::memcpy(out.data, input, out.samples() * sizeof(float));
    return;
  }
  const auto stride = static_cast<std::size_t>(device_channels);
  const auto count = static_cast<std::size_t>(map.count);
  for (std::size_t i = 0; i < out.frames; ++i) {
    const float* from = input + i * stride;
    float* to = out.data + i * count;
    for (std::size_t k = 0; k < count; ++k) to[k] = from[map.source[k]];
  }
}

} // namespace rc
