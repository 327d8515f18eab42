// engine/dsp/level_meter.cpp - see level_meter.hpp.
#include "engine/dsp/level_meter.hpp"

#include <cmath>
#include <limits>

namespace rc {

void LevelMeter::process(std::span<const StereoFrame> block) noexcept {
  std::array<float, 2> peak{};
  std::uint64_t clipped = 0;
  for (const StereoFrame& f : block) {
    const float a[2] = {std::fabs(f.left), std::fabs(f.right)};
    for (int c = 0; c < 2; ++c) {
      if (a[c] > peak[c]) peak[c] = a[c];
      totals_[c].sum_squares += double(a[c]) * double(a[c]);
      if (a[c] > 1.0f) ++totals_[c].clipped, ++clipped;
    }
  }
  frames_ += block.size();
  for (int c = 0; c < 2; ++c) {
    if (peak[c] > totals_[c].peak) totals_[c].peak = peak[c];
    // The display thread resets with exchange; keep the larger of ours and whatever is there.
    float seen = live_peak_[c].load(std::memory_order_relaxed);
    while (peak[c] > seen &&
           !live_peak_[c].compare_exchange_weak(seen, peak[c], std::memory_order_relaxed)) {
    }
  }
  if (clipped) live_clipped_.fetch_add(clipped, std::memory_order_relaxed);
}

std::array<float, 2> LevelMeter::take_live_peaks() noexcept {
  return {live_peak_[0].exchange(0.0f, std::memory_order_relaxed),
          live_peak_[1].exchange(0.0f, std::memory_order_relaxed)};
}

double to_dbfs(double linear) noexcept {
  return linear > 0 ? 20.0 * std::log10(linear) : -std::numeric_limits<double>::infinity();
}

} // namespace rc
