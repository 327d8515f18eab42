// tests/tools/fractional_delay.hpp - the DSP of jack_path, the analog path simulator: a delay of
// D frames (D need not be whole), a gain, a polarity inversion and additive white Gaussian noise,
// so `ringcorder latency` can be tested against a delay known to a ten-thousandth of a frame.
//
// Design
//   * The fractional part of the delay is a 64-tap windowed-sinc FIR: tap k is
//     sinc(k - 31 - f) * kaiser(k - 31 - f), the Kaiser window (beta 10) spanning +-32 frames
//     around the sinc's centre, so the FIR delays by 31 + f frames, f in [0, 1). At f = 0 every
//     tap but the 31st falls on a zero of the sinc: the FIR is a unit impulse, a pure integer
//     delay. Not normalised: the taps already sum to 1 within 3e-6.
//     Accuracy: at the latency signal's frequencies (1/32 to 1/16 of the rate) phase delay
//     within 4e-6 frame and gain within 3e-6 of 1 (fractional_delay_test.cpp); up to 0.45 x the
//     rate within about 1e-5; above it rolls off (0.1 down at 0.475 x the rate; a fraction of
//     0.5 must give 0 at Nyquist).
//   * The rest of the delay, D - 31 - f whole frames, is a delay line in front of the FIR. Both
//     share one history buffer, mirrored (each sample is stored twice, M frames apart), so the 64
//     samples under the FIR are always contiguous: no wrap inside the dot product.
//   * The smallest delay is therefore 31 frames (fir_centre); the largest max_delay_frames.
//   * All storage is allocated and zeroed (every page touched) in the constructors. Nothing after
//     them allocates, locks, throws or makes a system call: process() is real-time safe.
#pragma once

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace rc::test {

/// Taps of the fractional-delay FIR.
inline constexpr std::size_t fir_taps = 64;
/// The FIR's delay at fraction 0, in frames: the smallest delay a FractionalDelay can have.
inline constexpr std::size_t fir_centre = 31;
/// Half the width of the Kaiser window, in frames (it spans [-32, 32] around the sinc's centre).
inline constexpr double fir_window_half_width = 32.0;
/// The Kaiser window's beta: with 64 taps, flat within about 1e-5 up to 0.45 x the rate.
inline constexpr double kaiser_beta = 10.0;
/// The largest delay accepted, in frames (2^20: 21.8 s at 48 kHz; the history then takes 16 MiB).
inline constexpr double max_delay_frames = double(1u << 20);

/// Returns: I0(x), the zeroth-order modified Bessel function of the first kind (power series).
/// Any thread; not meant for the audio thread (used only to design the FIR).
inline double bessel_i0(double x) noexcept {
  double sum = 1.0, term = 1.0;
  const double half = x / 2;
  for (int k = 1; k < 200; ++k) {
    term *= (half / k) * (half / k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/// Returns: the taps h[0..63] of the FIR that delays by fir_centre + `fraction` frames:
/// h[k] = sinc(k - 31 - fraction) * kaiser(k - 31 - fraction). For fraction 0 exactly a unit
/// impulse at tap 31. Preconditions: 0 <= fraction < 1.
/// Any thread; not real-time safe in spirit (about 64 Bessel series), though it does not allocate.
inline std::array<double, fir_taps> fractional_delay_taps(double fraction) noexcept {
  std::array<double, fir_taps> taps{};
  const double i0_beta = bessel_i0(kaiser_beta);
  for (std::size_t k = 0; k < fir_taps; ++k) {
    const double t = double(k) - double(fir_centre) - fraction;
    if (t == 0.0) {
      taps[k] = 1.0;
      continue;
    }
    const double u = t / fir_window_half_width;
    if (fraction == 0.0 || !(u * u < 1.0)) continue; // on a zero of the sinc, or outside
    const double sinc = std::sin(std::numbers::pi * t) / (std::numbers::pi * t);
    const double window = bessel_i0(kaiser_beta * std::sqrt(1.0 - u * u)) / i0_beta;
    taps[k] = sinc * window;
  }
  return taps;
}

/// A streaming delay of D frames, D >= fir_centre and D <= max_delay_frames, not necessarily
/// whole: output frame n is sum over k of taps()[k] * input[n - line_frames() - k], the input
/// before the first frame being silence.
///
/// Thread rules: one thread at a time calls process() (jack_path: the audio thread, after the
/// main thread constructed it before jack_activate). The const accessors may be called from any
/// thread while nothing processes.
class FractionalDelay {
public:
  /// Effects: designs the FIR and allocates and zeroes the history (2 x the smallest power of two
  /// >= line_frames() + fir_taps frames).
  /// Throws: std::invalid_argument if `delay_frames` is not a finite number in
  /// [fir_centre, max_delay_frames]; std::bad_alloc.
  explicit FractionalDelay(double delay_frames) : delay_(delay_frames) {
    if (!std::isfinite(delay_frames) || delay_frames < double(fir_centre) ||
        delay_frames > max_delay_frames)
      throw std::invalid_argument("the delay must be from " + std::to_string(fir_centre) + " to " +
                                  std::to_string(std::size_t(max_delay_frames)) + " frames");
    const double whole = std::floor(delay_frames);
    fraction_ = delay_frames - whole;
    line_ = static_cast<std::size_t>(whole) - fir_centre;
    taps_ = fractional_delay_taps(fraction_);
    span_ = std::bit_ceil(line_ + fir_taps);
    history_.assign(2 * span_, 0.0f);
  }

  /// Returns: the delay D in frames, as given. Any thread. Real-time safe.
  [[nodiscard]] double delay() const noexcept { return delay_; }
  /// Returns: the fractional part of D, done by the FIR, in [0, 1). Any thread. Real-time safe.
  [[nodiscard]] double fraction() const noexcept { return fraction_; }
  /// Returns: the whole frames of D done by the delay line in front of the FIR:
  /// D - fir_centre - fraction(). Any thread. Real-time safe.
  [[nodiscard]] std::size_t line_frames() const noexcept { return line_; }
  /// Returns: the FIR's taps, h[0..63] (tap k delays by k frames). Any thread. Real-time safe.
  [[nodiscard]] const std::array<double, fir_taps>& taps() const noexcept { return taps_; }

  /// One thread at a time. Effects: pushes input frame `x`. Returns: the output frame, the input
  /// delayed by D. Real-time safe: no allocation, lock, exception or system call; O(fir_taps).
  float process(float x) noexcept {
    history_[write_] = x;
    history_[write_ + span_] = x;
    // The newest sample under the FIR is input[n - line_]; the oldest input[n - line_ - 63].
    // Both copies make [newest - 63, newest] contiguous: newest is in [63, 2 * span_).
    const std::size_t newest = write_ + span_ - line_;
    const float* h = &history_[newest];
    double sum = 0.0;
    for (std::size_t k = 0; k < fir_taps; ++k) sum += taps_[k] * double(*(h - k));
    write_ = (write_ + 1) & (span_ - 1);
    return static_cast<float>(sum);
  }

  /// One thread at a time. Effects: out[i] = process(in[i]) for i in [0, frames), in order; `in`
  /// and `out` may be the same buffer. Real-time safe, as process(float).
  void process(const float* in, float* out, std::size_t frames) noexcept {
    for (std::size_t i = 0; i < frames; ++i) out[i] = process(in[i]);
  }

private:
  double delay_;
  double fraction_ = 0.0;
  std::size_t line_ = 0;
  std::array<double, fir_taps> taps_{};
  std::size_t span_ = 0;       // M: a power of two >= line_ + fir_taps
  std::vector<float> history_; // 2 * M frames: frame i at i and i + M
  std::size_t write_ = 0;      // where the next input frame goes, in [0, M)
};

/// A deterministic source of standard normal numbers (mean 0, variance 1): xoshiro256** seeded
/// through splitmix64, and the Box-Muller transform (both numbers of a pair are used).
///
/// Thread rules: one thread at a time calls next(). The same seed gives the same sequence.
class GaussianNoise {
public:
  /// Effects: seeds the generator from `seed` (any value, 0 included). Any thread. Real-time
  /// safe.
  explicit GaussianNoise(std::uint64_t seed) noexcept {
    for (auto& word : state_) word = splitmix64(seed);
  }

  /// One thread at a time. Returns: the next standard normal number. Real-time safe: no
  /// allocation, lock, exception or system call (std::log, std::sqrt, std::cos, std::sin).
  double next() noexcept {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    // u1 in (0, 1] (so its log is finite), u2 in [0, 1): 53 random bits each.
    const double u1 = double((next_bits() >> 11) + 1) * 0x1.0p-53;
    const double u2 = double(next_bits() >> 11) * 0x1.0p-53;
    const double radius = std::sqrt(-2.0 * std::log(u1));
    const double angle = 2.0 * std::numbers::pi * u2;
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }

private:
  static std::uint64_t splitmix64(std::uint64_t& x) noexcept {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  std::uint64_t next_bits() noexcept { // xoshiro256**
    const std::uint64_t result = std::rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = std::rotl(state_[3], 45);
    return result;
  }

  std::array<std::uint64_t, 4> state_{};
  double spare_ = 0.0;
  bool has_spare_ = false;
};

/// What an AnalogPath does to its input (jack_path's options).
struct PathSettings {
  double delay_frames = double(fir_centre); ///< --delay D: frames, >= fir_centre.
  double gain_db = 0.0;                     ///< --gain-db G: applied after the delay.
  bool invert = false;                      ///< --invert: polarity inversion.
  /// --noise-dbfs N: white Gaussian noise added after the gain, RMS N dBFS (20 log10 of the RMS,
  /// full scale 1.0, as ringcorder's meters: -20 dBFS is an RMS of 0.1); none when empty.
  std::optional<double> noise_dbfs;
  std::uint64_t seed = 1; ///< --seed S: the noise generator's seed.
};

/// The simulated analog path: out[n] = sign * gain * delayed(in)[n] + noise_rms * z[n], z
/// standard normal from GaussianNoise(seed), drawn only when there is noise.
///
/// Thread rules: construct on any thread; then one thread at a time calls process() (jack_path:
/// the audio thread). The const accessors may be called from any thread while nothing processes.
class AnalogPath {
public:
  /// Effects: builds the delay (allocating its history) and the noise generator.
  /// Throws: std::invalid_argument for a delay FractionalDelay refuses, or a gain or noise level
  /// that is not finite; std::bad_alloc.
  explicit AnalogPath(const PathSettings& settings)
      : delay_(settings.delay_frames), noise_(settings.seed) {
    if (!std::isfinite(settings.gain_db))
      throw std::invalid_argument("the gain must be a finite number of dB");
    if (settings.noise_dbfs && !std::isfinite(*settings.noise_dbfs))
      throw std::invalid_argument("the noise level must be a finite number of dBFS");
    scale_ = std::pow(10.0, settings.gain_db / 20.0) * (settings.invert ? -1.0 : 1.0);
    noise_rms_ = settings.noise_dbfs ? std::pow(10.0, *settings.noise_dbfs / 20.0) : 0.0;
  }

  /// Returns: the factor applied after the delay: 10^(G/20), negative with --invert. Any thread.
  /// Real-time safe.
  [[nodiscard]] double scale() const noexcept { return scale_; }
  /// Returns: the noise's RMS (linear, full scale 1.0); 0 without noise. Any thread. Real-time
  /// safe.
  [[nodiscard]] double noise_rms() const noexcept { return noise_rms_; }
  /// Returns: the delay stage. Any thread while nothing processes. Real-time safe.
  [[nodiscard]] const FractionalDelay& delay() const noexcept { return delay_; }

  /// One thread at a time. Effects: writes `frames` output frames to `out` from the `frames`
  /// input frames at `in`, continuing the stream of every earlier call (any block sizes give the
  /// same output); `in` and `out` may be the same buffer. Real-time safe: no allocation, lock,
  /// exception or system call.
  void process(const float* in, float* out, std::size_t frames) noexcept {
    for (std::size_t i = 0; i < frames; ++i) {
      double y = scale_ * double(delay_.process(in[i]));
      if (noise_rms_ > 0.0) y += noise_rms_ * noise_.next();
      out[i] = static_cast<float>(y);
    }
  }

private:
  FractionalDelay delay_;
  GaussianNoise noise_;
  double scale_ = 1.0;
  double noise_rms_ = 0.0;
};

} // namespace rc::test
