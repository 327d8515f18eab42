// engine/audio/frames.hpp - the unit the live paths carry: runs of interleaved float frames of
// a channel count fixed per run, and the map from device channels to ours.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace rc {

/// The most channels a run carries (a frame ring's, a file's, a tap's).
inline constexpr int max_channels = 256;

/// A view of interleaved float samples: `frames` frames of `channels` samples, nominal range
/// [-1, 1]. Does not own them. `S` is float (Frames) or const float (ConstFrames).
template <class S> struct BasicFrames {
  S* data = nullptr;      ///< frames × channels samples, frame after frame.
  std::size_t frames = 0; ///< Frames in the view.
  int channels = 0;       ///< Samples per frame.

  /// Returns: the number of samples (frames × channels).
  [[nodiscard]] std::size_t samples() const noexcept {
    return frames * static_cast<std::size_t>(channels);
  }
  /// Returns: frames == 0.
  [[nodiscard]] bool empty() const noexcept { return frames == 0; }
  /// Returns: the first sample of frame `i`. Preconditions: i < frames.
  [[nodiscard]] S* frame(std::size_t i) const noexcept {
    return data + i * static_cast<std::size_t>(channels);
  }
  /// Returns: the first `n` frames. Preconditions: n <= frames.
  [[nodiscard]] BasicFrames first(std::size_t n) const noexcept { return {data, n, channels}; }
  /// Returns: the frames from frame `n` on. Preconditions: n <= frames.
  [[nodiscard]] BasicFrames from(std::size_t n) const noexcept {
    return {frame(n), frames - n, channels};
  }
  /// A writable view converts to a read-only one.
  operator BasicFrames<const S>() const noexcept { return {data, frames, channels}; }
};

/// Writable frames (a worker's scratch block, a ring region being filled).
using Frames = BasicFrames<float>;
/// Read-only frames (what sinks and observers receive).
using ConstFrames = BasicFrames<const float>;

/// Which device channel becomes each of our channels (0-based, any order, repeats allowed): our
/// channel k is device channel `source[k]`. Fixed size, so it travels to the audio thread
/// without allocation.
struct ChannelMap {
  std::array<std::uint16_t, max_channels> source{}; ///< Device channel of each of ours.
  int count = 0;                                    ///< Our channels (1..max_channels).

  /// Returns: the number of device channels a stream must open to read every mapped channel.
  [[nodiscard]] int channels_needed() const noexcept {
    int needed = 0;
    for (int k = 0; k < count; ++k)
      if (source[static_cast<std::size_t>(k)] + 1 > needed)
        needed = source[static_cast<std::size_t>(k)] + 1;
    return needed;
  }
  /// Returns: device channel 0 to `n`-1 as our channels 0 to `n`-1.
  /// Preconditions: 1 <= n <= max_channels.
  [[nodiscard]] static ChannelMap first(int n) noexcept {
    ChannelMap map;
    map.count = n;
    for (int k = 0; k < n; ++k)
      map.source[static_cast<std::size_t>(k)] = static_cast<std::uint16_t>(k);
    return map;
  }
  /// Returns: a two-channel map, `left` and `right` (0-based device channels).
  [[nodiscard]] static ChannelMap pair(int left, int right) noexcept {
    ChannelMap map;
    map.count = 2;
    map.source[0] = static_cast<std::uint16_t>(left);
    map.source[1] = static_cast<std::uint16_t>(right);
    return map;
  }
};

/// The channels a live run records when none are asked for: the device's first two (its one,
/// from a mono device).
inline constexpr int default_live_channels = 2;

/// Returns: the most channels a live run asked for `channels` (nullopt: the default) records,
/// before its device is known (to size what depends on it: a tap's shared memory).
inline int channels_at_most(const std::optional<ChannelMap>& channels) noexcept {
  return channels ? channels->count : default_live_channels;
}

} // namespace rc
