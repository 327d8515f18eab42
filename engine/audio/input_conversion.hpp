// engine/audio/input_conversion.hpp - device input (interleaved, any channel count) to our
// frames (interleaved, the channels a ChannelMap picks).
#pragma once

#include "engine/audio/frames.hpp"

#include <cstddef>

namespace rc {

/// One stream's conversion from device input to our frames. Whether the map is the device's own
/// order (every device channel, in order: the conversion is then a memcpy) is found once, when
/// it is made, not on every callback.
class InputConversion {
public:
  /// Any thread. Effects: keeps `device_channels` and `map` and notes whether `map` is the
  /// device's own order.
  /// Preconditions: every map.source[k] < device_channels.
  InputConversion(int device_channels, const ChannelMap& map) noexcept;

  /// Audio thread. Effects: copies `out.frames` frames of the device's interleaved channels
  /// from `input` into `out`, our channel k from device channel map.source[k]. A null `input`
  /// (PortAudio's way of saying "no input this time") yields silence.
  /// Preconditions: out.channels == map.count.
  /// Real-time safe: no allocation, bounded loop (a memcpy when device_order()).
  void convert(const float* input, Frames out) const noexcept;

  /// Any thread. Returns: whether the map takes every device channel in the device's order.
  [[nodiscard]] bool device_order() const noexcept { return device_order_; }
  /// Any thread. Returns: the device's channel count (the stride of `input`).
  [[nodiscard]] int device_channels() const noexcept { return device_channels_; }
  /// Any thread. Returns: the map.
  [[nodiscard]] const ChannelMap& map() const noexcept { return map_; }

private:
  int device_channels_;
  ChannelMap map_;
  bool device_order_;
};

} // namespace rc
