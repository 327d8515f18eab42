// engine/dsp/synth_effect.hpp - sox's synth effect: tones, sweeps and noises, made from nothing
// (an input of silence, `process -n`) or combined with the input (mix, amod, fmod).
#pragma once

#include "engine/dsp/effect.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rc {

/// sox's synth waveforms (tones first, noises after; sox's order).
enum class SynthType {
  sine,
  square,
  sawtooth,
  triangle,
  trapezium,
  exp,
  whitenoise,
  tpdfnoise,
  pinknoise,
  brownnoise
};
/// How the synthesised signal meets the input: replace it, average with it, or multiply it.
enum class SynthCombine { create, mix, amod, fmod };
/// How the frequency moves from FREQ to FREQ2 over the length (sox's ':', '+', '/', '-').
enum class SynthSweep { linear, square, exp, exp_cycle };

/// sox's linear congruential generator (its RANQD1), seeded as sox -R seeds it (0).
struct SoxRandom {
  std::uint32_t state = 0; ///< sox's sox_globals.ranqd1.
  /// Any thread. Effects: advances the state. Returns: the next value as a signed 32-bit number.
  /// Real-time safe.
  std::int32_t next() noexcept {
    state = 1664525u * state + 1013904223u;
    return static_cast<std::int32_t>(state);
  }
  /// Any thread. Effects: advances the state. Returns: the next value in [-1, 1). Real-time safe.
  double next_unit() noexcept { return next() * (1.0 / (65536.0 * 32768.0)); }
};

/// One channel's generator, sox's synth channel_t: its parameters (fractions, as sox keeps
/// them after dividing by 100) and its running state.
struct SynthChannel {
  SynthType type = SynthType::sine;            ///< Waveform.
  SynthCombine combine = SynthCombine::create; ///< How it meets the input.
  SynthSweep sweep = SynthSweep::linear;       ///< Sweep kind (no sweep: FREQ2 == FREQ, linear).
  double freq = 440, freq2 = 440;              ///< Hz.
  double offset = 0, phase = 0;                ///< Fractions: -1..1 and 0..1.
  double p1 = -1, p2 = -1, p3 = -1;            ///< Waveform shape; -1: the type's default.
  double mult = 0;                             ///< Sweep rate, set by prepare().
  double cycle_start = 0;                      ///< exp-cycle sweep: current cycle's start, s.
  double c[7] = {};                            ///< Pink noise filter state.
  double last = 0;                             ///< Brown noise: the previous output.

  /// Any thread. Effects: fills in the type's default shape and the sweep's rate for a run of
  /// `frames` frames (0: unknown) at `rate`, and clears the running state. Real-time safe.
  void prepare(std::uint64_t frames, double rate) noexcept;
  /// Any thread. Returns: the generator's value at frame `n` (n counts up from 0 by one each
  /// call, as the state needs) at `rate`, offset applied: within [-1, 1]. Effects: advances the
  /// noise state and `random`. Real-time safe.
  double value(std::uint64_t n, double rate, SoxRandom& random) noexcept;
};

/// What `synth` was asked for, as parsed.
struct SynthOptions {
  std::optional<std::string> length;  ///< sox time ("3", "0:02", "4800s"); none: the input's.
  bool no_headroom = false;           ///< -n: no headroom for later effects.
  std::vector<SynthChannel> channels; ///< One or more; channel i uses channels[i % size].
};

/// synth [-n] [LENGTH [OFFSET [PHASE [P1 [P2 [P3]]]]]] TYPE [COMBINE] [FREQ[k][:|+|/|-FREQ2[k]]]
/// [OFFSET [PHASE [P1 [P2 [P3]]]]] ...: sox's synth. Output channel c is generator c % count
/// combined with input channel c; with a LENGTH the output stops there (or at the input's end).
/// Noise is sox's generator seeded as sox -R, so the same every run.
class SynthEffect final : public Effect, public HeadroomGain {
public:
  /// Preconditions: options.channels not empty, parameters in sox's ranges.
  SynthEffect(std::string description, SynthOptions options);
  /// Returns: the effect as typed.
  std::string description() const override { return description_; }
  /// Main thread. Effects: resolves the length at the input's rate and prepares one generator
  /// per channel (allocates). Throws: std::invalid_argument for a length that is not a time.
  AudioFormat configure(const AudioFormat& input) override;
  /// Worker thread. Effects: replaces or combines each sample with the generators' output, up
  /// to the length. Returns: the block, cut at the length. Real-time safe.
  AudioBlock process(AudioBlock block) noexcept override;
  /// Offline, before configure(). Effects: keeps the input's length (the default length).
  void set_input_length(std::uint64_t frames) noexcept override { input_frames_ = frames; }
  /// Returns: the output's length: the input's, cut at LENGTH. Main thread.
  std::uint64_t output_length(std::uint64_t frames, double rate) const override;
  /// Any thread, not while process() runs. Effects: back to the first frame and seed.
  void reset() noexcept override;
  /// Returns: true: sox's synth sets the gain.
  bool sets_gain() const noexcept override { return true; }
  /// Returns: true unless -n: later effects may lower the level (sox's out_signal.mult).
  bool makes_headroom() const noexcept override { return !options_.no_headroom; }
  /// Main thread, configure time. Effects: multiplies the level by `factor`.
  void lower_gain(double factor) noexcept override { gain_ *= factor; }
  /// Returns: the level as a factor.
  double gain_factor() const noexcept override { return gain_; }
  /// Returns: how many generators were given (the channels a null input should have).
  [[nodiscard]] std::size_t generators() const noexcept { return options_.channels.size(); }
  /// Returns: LENGTH in frames at `rate`, if given and valid. Any thread.
  [[nodiscard]] std::optional<std::uint64_t> length_at(double rate) const;

private:
  std::string description_;
  SynthOptions options_;
  std::vector<SynthChannel> running_; ///< One per channel.
  SoxRandom random_;
  double rate_ = 0, gain_ = 1;
  std::uint64_t input_frames_ = 0, length_ = 0, position_ = 0; ///< length_ 0: unlimited.
};

} // namespace rc
