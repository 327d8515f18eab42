// engine/audio/input_conversion.hpp - device input (interleaved, any channel count) to stereo.
#pragma once

#include "engine/audio/stereo_frame.hpp"

#include <cstddef>
#include <span>

namespace rc {

/// Which two device channels become left and right (0-based). Mono input duplicates channel 0.
struct ChannelPick {
  int left = 0;  ///< Device channel that becomes the left channel.
  int right = 1; ///< Device channel that becomes the right channel.

  /// Returns: the number of device channels a stream must open to read this pick.
  [[nodiscard]] int channels_needed() const noexcept { return (left > right ? left : right) + 1; }
};

/// Audio thread. Effects: converts `frames` interleaved frames of `channels` channels into `out`
/// (mono: the one channel on both sides; otherwise the picked pair). A null `input` (PortAudio's
/// way of saying "no input this time") yields silence.
/// Preconditions: channels >= 1; if channels > 1, both picked channels < channels;
/// out.size() >= frames. Real-time safe: no allocation, bounded loop.
void convert_input(const float* input, std::size_t frames, int channels, ChannelPick pick,
                   std::span<StereoFrame> out) noexcept;

} // namespace rc
