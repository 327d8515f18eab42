// engine/latency/multitone.cpp - see multitone.hpp.
#include "engine/latency/multitone.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace rc {

namespace {

constexpr std::size_t quarter_frames = MultiTone::period / 4;
constexpr double two_pi = 2 * std::numbers::pi;

// Received tone level below which there is no signal: -60 dB relative to what was sent.
constexpr double no_signal_gain = 1e-3;
// Energy a quarter must hold to count as "something there": -70 dBFS RMS.
constexpr double presence_energy = 1e-7 * double(quarter_frames);
// A step may disagree with the coarser estimate by at most this fraction of its period.
constexpr double max_step_error = 0.25;

double wrap01(double x) noexcept { return x - std::floor(x); }

// Returns: the candidate `phase * step + n * step` nearest to `previous`.
double nearest(double phase, double step, double previous) noexcept {
  const double base = phase * step;
  return base + step * std::round((previous - base) / step);
}

} // namespace

const char* status_name(RoundTripEstimate::Status status) noexcept {
  switch (status) {
  case RoundTripEstimate::Status::ok:
    return "ok";
  case RoundTripEstimate::Status::inverted:
    return "inverted polarity";
  case RoundTripEstimate::Status::ambiguous:
    return "ambiguous";
  case RoundTripEstimate::Status::no_signal:
    return "no signal";
  }
  return "?";
}

double MultiTone::start_phase(std::size_t k) noexcept {
  // Schroeder's phases keep the sum of equal-amplitude tones far below the worst-case peak.
  const double n = double(tone_count);
  return std::numbers::pi * double(k) * double(k) / n;
}

MultiTone::MultiTone() : table_(period) {
  for (std::size_t i = 0; i < period; ++i) {
    double sum = 0;
    for (std::size_t k = 0; k < tone_count; ++k) {
      const std::size_t index = (static_cast<std::size_t>(bins[k]) * i) % period;
      sum += amplitude * std::cos(two_pi * double(index) / double(period) + start_phase(k));
    }
    table_[i] = static_cast<float>(sum);
  }
}

RoundTripAnalyzer::RoundTripAnalyzer() : cos_(MultiTone::period), sin_(MultiTone::period) {
  for (std::size_t i = 0; i < MultiTone::period; ++i) {
    cos_[i] = std::cos(two_pi * double(i) / double(MultiTone::period));
    sin_[i] = std::sin(two_pi * double(i) / double(MultiTone::period));
  }
}

void RoundTripAnalyzer::add(std::uint64_t first_frame, std::span<const float> samples) {
  if (!started_ || first_frame != next_frame_) {
    // A new or broken timeline: windows restart at the next quarter boundary.
    started_ = true;
    quarters_done_ = 0;
    current_ = Quarter{};
    in_quarter_ = first_frame % quarter_frames == 0;
  }
  constexpr std::size_t mask = MultiTone::period - 1;
  std::uint64_t frame = first_frame;
  for (const float x : samples) {
    if (in_quarter_) {
      const double v = x;
      for (std::size_t k = 0; k < MultiTone::tone_count; ++k) {
        const auto index = static_cast<std::size_t>(
            (frame * static_cast<std::uint64_t>(MultiTone::bins[k])) & mask);
        current_.re[k] += v * cos_[index];
        current_.im[k] -= v * sin_[index];
      }
      current_.energy += v * v;
    }
    ++frame;
    if (frame % quarter_frames == 0) {
      if (in_quarter_) finish_quarter(frame);
      current_ = Quarter{};
      in_quarter_ = true;
    }
  }
  next_frame_ = frame;
}

std::vector<RoundTripEstimate> RoundTripAnalyzer::take() {
  std::vector<RoundTripEstimate> out;
  out.swap(estimates_);
  return out;
}

void RoundTripAnalyzer::finish_quarter(std::uint64_t end_frame) {
  std::rotate(quarters_.begin(), quarters_.begin() + 1, quarters_.end());
  quarters_.back() = current_;
  quarters_done_ = std::min<std::size_t>(quarters_done_ + 1, quarters_.size());
  if (quarters_done_ < quarters_.size()) return;
  // The window is the last four quarters; the one before it must agree on whether anything is
  // there. A window where the signal starts or stops would add a short window's leakage to
  // the phases: it is skipped rather than reported as a slightly wrong delay. (The tones beat,
  // so a quarter's energy varies with the signal on: presence, not equality, is compared.)
  std::size_t present = 0;
  for (const Quarter& q : quarters_) present += q.energy >= presence_energy;
  if (present == quarters_.size())
    estimates_.push_back(estimate(end_frame));
  else if (present == 0)
    estimates_.push_back(silent_estimate(end_frame));
}

RoundTripEstimate RoundTripAnalyzer::silent_estimate(std::uint64_t end_frame) {
  RoundTripEstimate e;
  e.status = RoundTripEstimate::Status::no_signal;
  e.gain_db = -200;
  e.end_frame = end_frame;
  return e;
}

RoundTripEstimate RoundTripAnalyzer::estimate(std::uint64_t end_frame) const {
  constexpr std::size_t n = MultiTone::tone_count;
  constexpr double L = double(MultiTone::period);
  RoundTripEstimate e;
  e.end_frame = end_frame;

  // Sum the quarters into one whole period, where the tones are exactly orthogonal, and turn
  // each tone's correlation into a phase lag in cycles: frac(bin * delay / period).
  std::array<double, n> lag{};
  double gain_sum = 0, tone_energy = 0, energy = 0;
  const auto window = std::span(quarters_).last(4);
  for (const Quarter& q : window) energy += q.energy;
  for (std::size_t k = 0; k < n; ++k) {
    double re = 0, im = 0;
    for (const Quarter& q : window) re += q.re[k], im += q.im[k];
    const double magnitude = std::hypot(re, im);
    const double phase = std::atan2(im, re) - MultiTone::start_phase(k);
    lag[k] = wrap01(-phase / two_pi);
    gain_sum += magnitude / (MultiTone::amplitude * L / 2);
    tone_energy += 2 * magnitude * magnitude / L;
  }
  const double gain = gain_sum / double(n);
  e.gain_db = 20 * std::log10(std::max(gain, 1e-12));
  const double noise = std::max(energy - tone_energy, 1e-20);
  e.snr_db = 10 * std::log10(std::max(tone_energy, 1e-20) / noise);
  if (gain < no_signal_gain) {
    e.status = RoundTripEstimate::Status::no_signal;
    return e;
  }

  // Coarse to fine: the difference with bin 1024 - d gives the delay modulo period / d.
  bool consistent = true;
  double delay = 0;
  for (std::size_t k = 1; k < n; ++k) {
    const double d = double(MultiTone::bins[0] - MultiTone::bins[k]);
    const double step = L / d;
    const double difference = wrap01(lag[0] - lag[k]);
    if (k == 1) {
      delay = difference * step;
      continue;
    }
    const double refined = nearest(difference, step, delay);
    consistent &= std::abs(refined - delay) <= max_step_error * step;
    delay = refined;
  }
  // Finest: the main tone alone, modulo L / 1024 frames, with both polarities.
  const double main_step = L / double(MultiTone::bins[0]);
  const double normal = nearest(lag[0], main_step, delay);
  const double inverted = nearest(wrap01(lag[0] + 0.5), main_step, delay);
  const bool is_inverted = std::abs(inverted - delay) < std::abs(normal - delay);
  const double best = is_inverted ? inverted : normal;
  consistent &= std::abs(best - delay) <= max_step_error * main_step;
  if (best < 0) consistent = false; // a physical delay is never negative
  e.frames = best;
  e.status = !consistent   ? RoundTripEstimate::Status::ambiguous
             : is_inverted ? RoundTripEstimate::Status::inverted
                           : RoundTripEstimate::Status::ok;
  return e;
}

} // namespace rc
