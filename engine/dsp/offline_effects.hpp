// engine/dsp/offline_effects.hpp - effects that only work on files: norm (sees everything first)
// and rate (changes the frame count).
#pragma once

#include "engine/dsp/effect.hpp"

#include <vector>

struct soxr;

namespace rc {

/// norm [DB]: scales so the loudest sample peaks at DB dBFS (default 0). Two passes: the driver
/// first runs the chain with the effect measuring (its input's peak), then calls apply() and runs
/// the real pass.
class NormEffect final : public Effect {
public:
  explicit NormEffect(double target_db);
  std::string description() const override;
  AudioFormat configure(const AudioFormat& input) override { return input; }
  AudioBlock process(AudioBlock block) noexcept override;
  bool offline_only() const noexcept override { return true; }
  /// Effects: ends the measuring pass; later blocks are scaled. Returns: the gain in dB applied.
  double apply();
  /// Returns: true while the effect still needs its measuring pass.
  [[nodiscard]] bool measuring() const noexcept { return measuring_; }

private:
  double target_db_;
  bool measuring_ = true;
  float peak_ = 0.0f;
  float factor_ = 1.0f;
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

} // namespace rc
