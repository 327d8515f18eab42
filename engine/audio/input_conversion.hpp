// engine/audio/input_conversion.hpp - device input (interleaved, any channel count) to our
// frames (interleaved, the channels a ChannelMap picks).
#pragma once

#include "engine/audio/frames.hpp"

#include <cstddef>

namespace rc {

/// Audio thread. Effects: copies `out.frames` frames of `device_channels` interleaved channels
/// from `input` into `out`, our channel k from device channel map.source[k]. A null `input`
/// (PortAudio's way of saying "no input this time") yields silence.
/// Preconditions: out.channels == map.count; every map.source[k] < device_channels.
/// Real-time safe: no allocation, bounded loop (memcpy when the map is the device's own order).
void convert_input(const float* input, int device_channels, const ChannelMap& map,
                   Frames out) noexcept;

} // namespace rc
