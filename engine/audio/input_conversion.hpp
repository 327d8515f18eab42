// engine/audio/input_conversion.hpp - device input (interleaved, any channel count) to our
// frames (interleaved, the channels a ChannelMap picks).
#pragma once

#include "engine/audio/frames.hpp"

#include <cstddef>

namespace rc {

/// Which two device channels become left and right (0-based): the --channels pick of the
/// stereo commands.
struct ChannelPick {
  /// The channels a pick makes: left and right.
  static constexpr int count = 2;
  int left = 0;  ///< Device channel that becomes the left channel.
  int right = 1; ///< Device channel that becomes the right channel.

  /// Returns: the number of device channels a stream must open to read this pick.
  [[nodiscard]] int channels_needed() const noexcept { return (left > right ? left : right) + 1; }
  /// Returns: the pick as a map of two channels.
  [[nodiscard]] ChannelMap map() const noexcept { return ChannelMap::pair(left, right); }
};

/// Audio thread. Effects: copies `out.frames` frames of `device_channels` interleaved channels
/// from `input` into `out`, our channel k from device channel map.source[k]. A null `input`
/// (PortAudio's way of saying "no input this time") yields silence.
/// Preconditions: out.channels == map.count; every map.source[k] < device_channels.
/// Real-time safe: no allocation, bounded loop (memcpy when the map is the device's own order).
void convert_input(const float* input, int device_channels, const ChannelMap& map,
                   Frames out) noexcept;

} // namespace rc
