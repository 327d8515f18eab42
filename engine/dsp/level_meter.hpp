// engine/dsp/level_meter.hpp - peak, RMS and clip counts per channel, with a live snapshot.
#pragma once

#include "engine/audio/frames.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace rc {

/// Levels of one channel over some stretch of audio.
struct ChannelLevels {
  float peak = 0.0f;         ///< Largest |sample|.
  double sum_squares = 0.0;  ///< For RMS: sqrt(sum_squares / frames).
  std::uint64_t clipped = 0; ///< Samples with |x| > 1 (clipped when stored as integers).
};

/// Meters every block the worker processes, per channel. process() and totals() are worker-thread
/// only; take_live_peaks() may be called by one display thread at the same time.
class LevelMeter {
public:
  /// Effects: a meter of `channels` channels, all storage allocated here.
  /// Preconditions: 1 <= channels <= max_channels. Throws: std::bad_alloc.
  explicit LevelMeter(int channels = 2);

  /// Worker. Effects: accumulates the block into the totals and the live peaks.
  /// Preconditions: block.channels == channels(). Real-time safe: no allocation, bounded.
  void process(ConstFrames block) noexcept;
  /// Any thread. Returns: the channels metered; constant.
  [[nodiscard]] int channels() const noexcept { return static_cast<int>(totals_.size()); }
  /// Worker (or any thread once processing has ended). Returns: levels over everything metered,
  /// one entry per channel.
  [[nodiscard]] const std::vector<ChannelLevels>& totals() const noexcept { return totals_; }
  /// Worker. Returns: frames metered.
  [[nodiscard]] std::uint64_t frames() const noexcept { return frames_; }
  /// Display thread. Effects: writes each channel's peak since the previous call into `out`
  /// (the first min(out.size(), channels()) channels) and resets them all.
  void take_live_peaks(std::span<float> out) noexcept;
  /// Any thread. Returns: clipped samples so far, every channel.
  [[nodiscard]] std::uint64_t live_clipped() const noexcept {
    return live_clipped_.load(std::memory_order_relaxed);
  }

private:
  std::vector<ChannelLevels> totals_;
  std::vector<float> block_peak_; // worker scratch, one per channel
  std::uint64_t frames_ = 0;
  std::unique_ptr<std::atomic<float>[]> live_peak_;
  std::atomic<std::uint64_t> live_clipped_{0};
};

/// Returns: 20 log10(linear), or -infinity for 0.
double to_dbfs(double linear) noexcept;

} // namespace rc
