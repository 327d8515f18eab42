// engine/core/host_gap_detector.cpp - see host_gap_detector.hpp.
#include "engine/core/host_gap_detector.hpp"

#include <algorithm>
#include <cmath>

namespace rc {

HostGapVerdict HostGapDetector::observe(double clock_frames, std::int64_t now_ns,
                                        std::uint64_t timeline, std::uint32_t frames) noexcept {
  if (!std::isfinite(clock_frames)) return {};
  // A cycle counter reads the same for every callback PortAudio makes of one cycle (a period
  // asked for that is shorter than the server's): the frames delivered since carry it on. (A
  // whole period read twice is a late client reading the server's next cycle, not this.)
  if (rule_.quantum > 0 && callbacks_ > 0 && clock_frames == last_raw_ &&
      last_frames_ + within_cycle_ < rule_.quantum)
    within_cycle_ += last_frames_;
  else
    within_cycle_ = 0;
  last_raw_ = clock_frames;
  const auto wrap = static_cast<double>(rule_.wrap);
  double clock = clock_frames + double(within_cycle_) + unwrap_;
  // A counter that wrapped reads far behind its previous value: carry the wrap.
  if (rule_.wrap != 0 && callbacks_ > 0 && clock < last_clock_ - wrap / 2) {
    unwrap_ += wrap;
    clock += wrap;
  }
  const double offset = clock - static_cast<double>(timeline);
  const std::int64_t elapsed_ns = now_ns - last_now_;
  const std::uint32_t previous_frames = last_frames_;
  last_clock_ = clock;
  last_now_ = now_ns;
  last_frames_ = frames;

  if (callbacks_++ <= rule_.settle_callbacks) { // the first reading, or still settling: the mean
    reference_ += (offset - reference_) / double(callbacks_);
    return {};
  }
  const double lead = offset - reference_;
  // Real time must have passed for frames to be missed: the previous block plus the gap, less
  // the scheduling slack of a few callbacks and 100 ms. More than that is the clock stepping.
  const double elapsed_frames = double(std::max<std::int64_t>(0, elapsed_ns)) * rate_ / 1e9;
  const double slack = 4.0 * std::max(frames, previous_frames) + rate_ / 10.0;
  if (-lead > slack) { // far behind the timeline: the clock stepped back
    reference_ = offset;
    ambiguous_ = false;
    return {0, true};
  }
  if (rule_.quantum > 0 && lead <= 0) { // read closer to its cycle's start than any before
    reference_ = offset;
    ambiguous_ = false;
    return {};
  }

  std::uint64_t gap = 0;
  if (rule_.quantum > 0) {
    const auto quanta = static_cast<std::uint64_t>(std::llround(lead / rule_.quantum));
    if (quanta <= rule_.ambiguous_quanta) {
      // Seen twice in a row, it stays: the new normal, reported as uncertain (a late client or
      // a skip of that length; the counter cannot tell).
      const bool adopted = quanta > 0 && ambiguous_;
      if (adopted) reference_ = offset;
      ambiguous_ = quanta > 0 && !adopted;
      return {0, false, adopted ? quanta * rule_.quantum : 0};
    }
    ambiguous_ = false;
    gap = quanta * rule_.quantum;
  } else {
    const double threshold = std::max<double>(rule_.threshold_frames, frames / 2.0);
    if (lead >= threshold) gap = static_cast<std::uint64_t>(std::llround(lead));
  }
  if (gap == 0) {
    // Time stamps scatter around the truth and drift against the system clock: the reference
    // is their running mean, following at most drift_ppm of the frames per callback.
    const double most = double(frames) * rule_.drift_ppm * 1e-6;
    reference_ += std::clamp(lead / 8.0, -most, most);
    return {};
  }
  if (double(gap) + previous_frames > elapsed_frames + slack) {
    reference_ = offset;
    return {0, true};
  }
  return {gap, false};
}

} // namespace rc
