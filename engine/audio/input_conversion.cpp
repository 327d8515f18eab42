// engine/audio/input_conversion.cpp - see input_conversion.hpp.
#include "engine/audio/input_conversion.hpp"

#include <algorithm>
#include <cstring>

namespace rc {

namespace {
bool is_device_order(int device_channels, const ChannelMap& map) noexcept {
  if (map.count != device_channels) return false;
  for (int k = 0; k < map.count; ++k)
    if (map.source[static_cast<std::size_t>(k)] != k) return false;
  return true;
}
} // namespace

InputConversion::InputConversion(int device_channels, const ChannelMap& map) noexcept
    : device_channels_(device_channels), map_(map),
      device_order_(is_device_order(device_channels, map)) {}

void InputConversion::convert(const float* input, Frames out) const noexcept {
  if (out.frames == 0) return;
  if (input == nullptr) {
    std::fill_n(out.data, out.samples(), 0.0f);
    return;
  }
  if (device_order_) {
    std::memcpy(out.data, input, out.samples() * sizeof(float));
    return;
  }
  const auto stride = static_cast<std::size_t>(device_channels_);
  const auto count = static_cast<std::size_t>(map_.count);
  for (std::size_t i = 0; i < out.frames; ++i) {
    const float* from = input + i * stride;
    float* to = out.data + i * count;
    for (std::size_t k = 0; k < count; ++k) to[k] = from[map_.source[k]];
  }
}

} // namespace rc
