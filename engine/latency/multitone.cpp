// engine/latency/multitone.cpp - see multitone.hpp.
#include "engine/latency/multitone.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace rc {

namespace {

constexpr std::size_t quarter_frames = MultiTone::period / 4;
constexpr double two_pi = 2 * std::numbers::pi;

// A quarter whose mean power is below this (-160 dBFS) holds nothing: digital silence.
constexpr double silent_power = 1e-16;
// Within a one-period window and the quarter before it, a quarter with less than this fraction
// of the loudest one's energy means the signal started or stopped there (the tones beat, so a
// steady signal's quarters differ, but by far less).
constexpr double steady_ratio = 0.1;
// The tones must carry this many times the power noise alone would put into their bins (10 dB).
constexpr double detect_ratio = 10;
// A step may disagree with the coarser estimate by at most this fraction of its period.
constexpr double max_step_error = 0.25;
// Window lengths beyond one period, in periods.
constexpr std::array<std::size_t, 5> long_windows = {2, 4, 8, 16, 32};
static_assert(long_windows.back() == RoundTripAnalyzer::max_periods);

double wrap01(double x) noexcept { return x - std::floor(x); }
// Returns: x moved by whole cycles into [-0.5, 0.5).
double centered(double x) noexcept { return x - std::floor(x + 0.5); }

// Returns: the candidate `phase * step + n * step` nearest to `previous`.
double nearest(double phase, double step, double previous) noexcept {
  const double base = phase * step;
  return base + step * std::round((previous - base) / step);
}

} // namespace

// The tones' bins, then the noise bins (RoundTripAnalyzer::Sums' order).
constexpr std::array<int, RoundTripAnalyzer::bin_count> all_bins = [] {
  std::array<int, RoundTripAnalyzer::bin_count> bins{};
  for (std::size_t k = 0; k < MultiTone::tone_count; ++k) bins[k] = MultiTone::bins[k];
  for (std::size_t k = 0; k < RoundTripAnalyzer::noise_bins.size(); ++k)
    bins[MultiTone::tone_count + k] = RoundTripAnalyzer::noise_bins[k];
  return bins;
}();

RoundTripAnalyzer::Sums& RoundTripAnalyzer::Sums::operator+=(const Sums& other) noexcept {
  for (std::size_t k = 0; k < bin_count; ++k) re[k] += other.re[k], im[k] += other.im[k];
  energy += other.energy;
  return *this;
}

const char* status_name(RoundTripEstimate::Status status) noexcept {
  switch (status) {
  case RoundTripEstimate::Status::ok:
    return "ok";
  case RoundTripEstimate::Status::inverted:
    return "inverted polarity";
  case RoundTripEstimate::Status::uncertain:
    return "uncertain";
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
    periods_done_ = 0;
    quarter_in_period_ = 0;
    period_ = Sums{};
    current_ = Sums{};
    in_quarter_ = first_frame % quarter_frames == 0;
  }
  constexpr std::size_t mask = MultiTone::period - 1;
  std::uint64_t frame = first_frame;
  for (const float x : samples) {
    if (in_quarter_) {
      const double v = x;
      for (std::size_t k = 0; k < bin_count; ++k) {
        const auto index =
            static_cast<std::size_t>((frame * static_cast<std::uint64_t>(all_bins[k])) & mask);
        current_.re[k] += v * cos_[index];
        current_.im[k] -= v * sin_[index];
      }
      current_.energy += v * v;
    }
    ++frame;
    if (frame % quarter_frames == 0) {
      if (in_quarter_) finish_quarter(frame);
      current_ = Sums{};
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
  bool steady = false; // this quarter and the four before it hold a steady signal
  std::rotate(quarters_.begin(), quarters_.begin() + 1, quarters_.end());
  quarters_.back() = current_;
  quarters_done_ = std::min<std::size_t>(quarters_done_ + 1, quarters_.size());
  if (quarters_done_ == quarters_.size()) {
    // The window is the last four quarters; the one before it must agree on whether anything
    // is there. A window where the signal starts or stops would add a short window's leakage
    // to the phases: it is skipped rather than measured with a bias.
    double loudest = 0;
    std::size_t silent = 0;
    for (const Sums& q : quarters_) {
      loudest = std::max(loudest, q.energy);
      silent += q.energy <= silent_power * double(quarter_frames);
    }
    steady = silent == 0;
    for (const Sums& q : quarters_) steady &= q.energy >= steady_ratio * loudest;
    if (steady) {
      Sums window;
      for (const Sums& q : std::span(quarters_).last(4)) window += q;
      estimates_.push_back(estimate(window, MultiTone::period, end_frame));
    } else if (silent == quarters_.size()) {
      RoundTripEstimate e;
      e.status = RoundTripEstimate::Status::no_signal;
      e.gain_db = -200;
      e.end_frame = end_frame;
      estimates_.push_back(e);
    }
  }
  period_ += current_;
  if (++quarter_in_period_ == 4) finish_period(end_frame, steady);
}

void RoundTripAnalyzer::finish_period(std::uint64_t end_frame, bool steady) {
  std::rotate(periods_.begin(), periods_.begin() + 1, periods_.end());
  std::rotate(steady_.begin(), steady_.begin() + 1, steady_.end());
  periods_.back() = period_;
  steady_.back() = steady;
  period_ = Sums{};
  quarter_in_period_ = 0;
  periods_done_ = std::min<std::size_t>(periods_done_ + 1, periods_.size());
  // Longer windows sum whole periods: only steady ones, each held steady with the quarter before
  // it, as a one-period window must be (a silent one would mean the loopback was not there yet,
  // or went away; one the signal starts in would add its leakage to the phases).
  Sums sum;
  std::size_t summed = 0;
  for (const std::size_t length : long_windows) {
    if (periods_done_ < length) break;
    for (; summed < length; ++summed) {
      const Sums& p = periods_[periods_.size() - 1 - summed];
      if (!steady_[steady_.size() - 1 - summed]) return;
      sum += p;
    }
    estimates_.push_back(estimate(sum, length * MultiTone::period, end_frame));
  }
}

RoundTripEstimate RoundTripAnalyzer::estimate(const Sums& sums, std::size_t frames,
                                              std::uint64_t end_frame) {
  constexpr std::size_t n = MultiTone::tone_count;
  constexpr double L = double(MultiTone::period);
  const double N = double(frames);
  RoundTripEstimate e;
  e.end_frame = end_frame;
  e.periods = static_cast<std::uint32_t>(frames / MultiTone::period);

  // Over whole periods the tones are exactly orthogonal: each tone's correlation gives its
  // level and its phase lag in cycles, frac(bin * delay / period).
  std::array<double, n> lag{}, weight{};
  double gain_sum = 0, tone_power = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double re = sums.re[k], im = sums.im[k];
    const double magnitude = std::hypot(re, im);
    const double phase = std::atan2(im, re) - MultiTone::start_phase(k);
    lag[k] = wrap01(-phase / two_pi);
    weight[k] = magnitude * magnitude;
    gain_sum += magnitude / (MultiTone::amplitude * N / 2);
    tone_power += 2 * magnitude * magnitude / (N * N);
  }
  const double gain = gain_sum / double(n);
  e.gain_db = 20 * std::log10(std::max(gain, 1e-10));
  const double power = sums.energy / N;
  e.input_dbfs = power > 0 ? std::max(10 * std::log10(power), -200.0) : -200.0;
  // The noise in the tones' band, from the empty bins between them: white noise of power s puts
  // s N into each bin's |X|^2 on average. `noise` is that white-equivalent power per frame.
  double empty = 0;
  for (std::size_t k = n; k < bin_count; ++k)
    empty += sums.re[k] * sums.re[k] + sums.im[k] * sums.im[k];
  const double noise = empty / double(noise_bins.size()) / N;
  e.snr_db = std::min(10 * std::log10(std::max(tone_power, 1e-30) / std::max(noise, 1e-30)), 200.0);
  // Noise alone puts 2 * noise / N of power into each tone's bin on average.
  if (power <= silent_power || tone_power < detect_ratio * 2 * double(n) * noise / N) {
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
  const double coarse = is_inverted ? inverted : normal;
  consistent &= std::abs(coarse - delay) <= max_step_error * main_step;

  // Fit all eleven tones: the delay whose phases best match theirs, each tone weighted by its
  // power (its phase's inverse variance under white noise).
  const double polarity = is_inverted ? 0.5 : 0.0;
  std::array<double, n> residual{};
  double wbb = 0, wbr = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double b = double(MultiTone::bins[k]);
    residual[k] = centered(lag[k] - b * coarse / L - polarity);
    wbb += weight[k] * b * b;
    wbr += weight[k] * b * residual[k];
  }
  const double shift = wbb > 0 ? L * wbr / wbb : 0.0;
  double wee = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double left = residual[k] - double(MultiTone::bins[k]) * shift / L;
    wee += weight[k] * left * left;
  }
  // The fit's standard error, from its residuals (n - 1 degrees of freedom) and from the noise
  // measured in the noise bins (a tone of correlation magnitude |X| under noise of power s has a
  // phase variance of s N / 2 / |X|^2 rad^2); the larger one counts.
  const double from_residuals = wbb > 0 ? L * std::sqrt(wee / (double(n - 1) * wbb)) : HUGE_VAL;
  const double from_noise =
      wbb > 0 ? L * std::sqrt(noise * N / 2 / (two_pi * two_pi * wbb)) : HUGE_VAL;
  // Delays are measured modulo the period: [-1, period - 1), so that a delay of 0 stays 0.
  e.frames = coarse + shift;
  e.frames -= L * std::floor((e.frames + 1) / L);
  e.error_frames = std::max(from_residuals, from_noise);
  if (e.frames < -RoundTripAnalyzer::max_error_frames) consistent = false; // never negative
  e.status = !consistent || !(e.error_frames <= RoundTripAnalyzer::max_error_frames)
                 ? RoundTripEstimate::Status::uncertain
             : is_inverted ? RoundTripEstimate::Status::inverted
                           : RoundTripEstimate::Status::ok;
  if (!consistent) e.error_frames = HUGE_VAL;
  return e;
}

} // namespace rc
