// engine/dsp/level_meter.cpp - see level_meter.hpp.
#include "engine/dsp/level_meter.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace rc {

LevelMeter::LevelMeter(int channels)
    : totals_(static_cast<std::size_t>(channels)), block_peak_(static_cast<std::size_t>(channels)),
      live_peak_(std::make_unique<std::atomic<float>[]>(static_cast<std::size_t>(channels))) {
  for (int c = 0; c < channels; ++c) live_peak_[static_cast<std::size_t>(c)].store(0.0f);
}

void LevelMeter::process(ConstFrames block) noexcept {
  const std::size_t channels = totals_.size();
  std::fill(block_peak_.begin(), block_peak_.end(), 0.0f);
  std::uint64_t clipped = 0;
  for (std::size_t i = 0; i < block.frames; ++i) {
    const float* frame = block.frame(i);
    for (std::size_t c = 0; c < channels; ++c) {
      const float a = std::fabs(frame[c]);
      if (a > block_peak_[c]) block_peak_[c] = a;
      totals_[c].sum_squares += double(a) * double(a);
      if (a > 1.0f) ++totals_[c].clipped, ++clipped;
    }
  }
  frames_ += block.frames;
  for (std::size_t c = 0; c < channels; ++c) {
    const float peak = block_peak_[c];
    if (peak > totals_[c].peak) totals_[c].peak = peak;
    // The display thread resets with exchange; keep the larger of ours and whatever is there.
    float seen = live_peak_[c].load(std::memory_order_relaxed);
    while (peak > seen &&
           !live_peak_[c].compare_exchange_weak(seen, peak, std::memory_order_relaxed)) {
    }
  }
  if (clipped) live_clipped_.fetch_add(clipped, std::memory_order_relaxed);
}

void LevelMeter::take_live_peaks(std::span<float> out) noexcept {
  for (std::size_t c = 0; c < totals_.size(); ++c) {
    const float peak = live_peak_[c].exchange(0.0f, std::memory_order_relaxed);
    if (c < out.size()) out[c] = peak;
  }
}

double to_dbfs(double linear) noexcept {
  return linear > 0 ? 20.0 * std::log10(linear) : -std::numeric_limits<double>::infinity();
}

} // namespace rc
