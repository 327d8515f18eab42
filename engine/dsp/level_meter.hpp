// engine/dsp/level_meter.hpp - peak, RMS and clip counts of stereo blocks, with a live snapshot.
#pragma once

#include "engine/audio/stereo_frame.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <span>

namespace rc {

/// Levels of one channel over some stretch of audio.
struct ChannelLevels {
  float peak = 0.0f;         ///< Largest |sample|.
  double sum_squares = 0.0;  ///< For RMS: sqrt(sum_squares / frames).
  std::uint64_t clipped = 0; ///< Samples with |x| > 1 (clipped when stored as integers).
};

/// Meters every block the worker processes. process() and totals() are worker-thread only;
/// take_live_peaks() may be called by one display thread at the same time.
class LevelMeter {
public:
  /// Worker. Effects: accumulates the block into the totals and the live peaks.
  void process(std::span<const StereoFrame> block) noexcept;
  /// Worker (or any thread once processing has ended). Returns: levels over everything metered.
  [[nodiscard]] const std::array<ChannelLevels, 2>& totals() const noexcept { return totals_; }
  /// Worker. Returns: frames metered.
  [[nodiscard]] std::uint64_t frames() const noexcept { return frames_; }
  /// Display thread. Returns: each channel's peak since the previous call, and resets it.
  std::array<float, 2> take_live_peaks() noexcept;
  /// Any thread. Returns: clipped samples so far, both channels.
  [[nodiscard]] std::uint64_t live_clipped() const noexcept {
    return live_clipped_.load(std::memory_order_relaxed);
  }

private:
  std::array<ChannelLevels, 2> totals_{};
  std::uint64_t frames_ = 0;
  std::array<std::atomic<float>, 2> live_peak_{};
  std::atomic<std::uint64_t> live_clipped_{0};
};

/// Returns: 20 log10(linear), or -infinity for 0.
double to_dbfs(double linear) noexcept;

} // namespace rc
