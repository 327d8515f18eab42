// engine/dsp/offline_effects.hpp - effects that only work on files: norm (sees everything first)
// and rate (changes the frame count).
#pragma once

#include "engine/dsp/effect.hpp"
#include "engine/dsp/simple_effects.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

struct soxr;

namespace rc {

/// How sox's gain scales after measuring the whole input (gain's -n -e -B -b -r; norm is gain -n).
struct MeasuredGainOptions {
  bool normalise = false; ///< -n: the peak to 0 dBFS (each channel's with -e).
  bool equalise = false;  ///< -e: every channel's peak to the loudest channel's peak.
  bool balance = false;   ///< -B: every channel's RMS to the loudest channel's, no clip guard.
  bool balance_no_clip = false; ///< -b: as -B, then scaled down if a peak passes full scale.
  bool restore = false;         ///< -r: reclaims the headroom a gain -h before it made.
  bool limiter = false;         ///< -l: sox's simple limiter on the result.
  bool headroom = false;        ///< -h: the later effects lower the fixed gain (HeadroomGain).
  double gain_db = 0;           ///< The fixed gain after the measured one.
};

/// gain -n/-e/-B/-b/-r [DB] and norm [DB] (sox's gain effect with a scan, whose formulas it
/// follows): two passes. The driver first runs the chain with the effect measuring its input
/// (each channel's positive and negative peak and power), then calls apply() and runs the real
/// pass, in which the effect scales each channel by the factor apply() found.
class MeasuredGainEffect final : public Effect, public HeadroomGain {
public:
  /// `description`: as typed ("gain -n -3").
  MeasuredGainEffect(std::string description, MeasuredGainOptions options);
  std::string description() const override { return description_; }
  /// Effects: sizes the per-channel figures (allocates).
  AudioFormat configure(const AudioFormat& input) override;
  /// Worker thread. Measuring: adds `block` to the figures and passes it on unchanged; then
  /// scales it. Real-time safe.
  AudioBlock process(AudioBlock block) noexcept override;
  /// Effects: clears the figures (a new measuring pass would start from nothing).
  void reset() noexcept override;
  bool offline_only() const noexcept override { return true; }
  bool sets_gain() const noexcept override { return true; }
  /// Effects: `reclaim` is the headroom factor a gain -h before this effect left (< 1 when it
  /// made headroom), 0 when none reaches it. Throws: std::invalid_argument for -r without
  /// headroom to reclaim, as sox ("can't reclaim headroom").
  void set_headroom_in(double reclaim);
  /// Main thread, between the passes. Effects: ends the measuring pass; later blocks are scaled.
  /// Returns: a note for the user ("1.2 dB not reclaimed", as sox reports) or "".
  std::string apply();
  /// Returns: true while the effect still needs its measuring pass.
  [[nodiscard]] bool measuring() const noexcept { return measuring_; }
  bool makes_headroom() const noexcept override { return options_.headroom; }
  void lower_gain(double factor) noexcept override { fixed_ *= factor; }
  double gain_factor() const noexcept override { return fixed_; }
  /// Returns: the factor each channel is scaled by (after apply()).
  [[nodiscard]] const std::vector<double>& factors() const noexcept { return factors_; }

private:
  struct Figures {
    double max = 0, min = 0; ///< The most positive and most negative sample (sox: from +-1 LSB).
    double power = 0;        ///< Sum of squares.
    std::uint64_t samples = 0;
  };
  [[nodiscard]] bool per_channel() const noexcept {
    return options_.equalise || options_.balance || options_.balance_no_clip;
  }
  std::string description_;
  MeasuredGainOptions options_;
  double fixed_ = 1;   ///< The fixed gain as a factor.
  double reclaim_ = 0; ///< -r: 1 / the headroom factor reaching it.
  double limiter_ = 0; ///< -l: sox's limiter constant.
  bool measuring_ = true;
  int channels_ = 0;
  std::vector<Figures> figures_; ///< One per channel, or one for all (no -e, -B, -b).
  std::vector<double> factors_;  ///< One per channel.
  std::vector<float> scale_;     ///< factors_ as floats, for process().
};

/// rate HZ: resamples to HZ with libsoxr at high quality (sox's `rate` default).
class RateEffect final : public Effect {
public:
  explicit RateEffect(double rate);
  ~RateEffect() override;
  RateEffect(const RateEffect&) = delete;
  RateEffect& operator=(const RateEffect&) = delete;
  std::string description() const override;
  AudioFormat configure(const AudioFormat& input) override;
  AudioBlock process(AudioBlock block) noexcept override;
  /// Returns: sox's allowance for a resampler's overshoot, 0.705.
  double headroom_factor() const noexcept override { return 0.705; }
  /// Effects: from now on more() flushes the resampler's delay line.
  void end_input() noexcept override { ending_ = true; }
  /// Returns: after end_input(), the next piece of the resampler's delay line (frames 0 once
  /// it is empty); nothing before.
  AudioBlock more() noexcept override;
  bool offline_only() const noexcept override { return true; }
  void reset() noexcept override;
  /// Returns: the output rate, Hz.
  [[nodiscard]] double target_rate() const noexcept { return rate_; }

private:
  double rate_;
  AudioFormat input_{};
  soxr* resampler_ = nullptr;
  bool ending_ = false;
  std::vector<float> buffer_;
};

/// speed FACTOR[c]: sox's speed: pitch and tempo together. As in sox the effect itself only
/// relabels the audio's rate (rate x FACTOR; the frames pass unchanged, so the effects after it
/// see the new rate), and the chain resamples back at the end with an automatic rate effect
/// (EffectChain::configure), which is where the output's length changes.
class SpeedEffect final : public Effect {
public:
  /// `factor`: the speed ratio (a count of cents already converted). Precondition: factor > 0.
  SpeedEffect(std::string description, double factor)
      : description_(std::move(description)), factor_(factor) {}
  /// Returns: the effect as typed ("speed -200c").
  std::string description() const override { return description_; }
  /// Main thread. Returns: the input's shape at rate x factor (sox's in_signal.rate * factor).
  AudioFormat configure(const AudioFormat& input) override;
  /// Worker thread. Returns: `block` unchanged. Real-time safe.
  AudioBlock process(AudioBlock block) noexcept override { return block; }
  /// Returns: true unless the factor is 1 (which sox leaves out of the chain): the chain must
  /// resample, which changes the frame count.
  bool offline_only() const noexcept override { return factor_ != 1; }
  /// Returns: the speed ratio.
  [[nodiscard]] double factor() const noexcept { return factor_; }

private:
  std::string description_;
  double factor_;
};

} // namespace rc
