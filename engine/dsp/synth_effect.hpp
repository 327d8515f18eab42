// engine/dsp/synth_effect.hpp - sox's synth effect: tones, sweeps, noises and a plucked string,
// made from nothing (an input of silence, `process -n`) or combined with the input (mix, amod,
// fmod); frequencies in Hz or as notes (equal temperament or just intonation).
#pragma once

#include "engine/dsp/effect.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace rc {

/// sox's synth waveforms (tones first, then noises and the plucked string; sox's order).
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
  brownnoise,
  pluck
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

/// Returns: the frequency of note `note` (semitones from A4 = 440 Hz; fractions allowed), as
/// sox's synth tunes it: equal temperament without a key; with `key` (semitones from A), just
/// intonation in that key, a fraction interpolating between the scale's steps. Preconditions:
/// `note` and `key` within -1200..1200. Any thread, real-time safe.
double note_frequency(double note, std::optional<int> key) noexcept;

/// The lowest and highest frequencies sox's pluck accepts, Hz.
inline constexpr double pluck_min_hz = 27.5, pluck_max_hz = 4220;
/// The sample rates sox's pluck accepts (its filters are tuned for them), Hz.
inline constexpr double pluck_min_rate = 44100, pluck_max_rate = 48000;

/// sox's plucked string: a delay line one period long, filled with shaped noise, fed back through
/// a low pass (the decay), an all pass (the fractional part of the period); a DC-blocking high
/// pass shapes the output.
struct PluckString {
  double lp_pole = 0, lp_gain = 0;          ///< Low pass: y = x·gain + y'·pole (sox's c0, c1).
  double hp_pole = 0, hp_gain = 0;          ///< DC-blocking high pass (sox's c2, c3).
  double ap_coef = 0;                       ///< All pass for the fraction (sox's c4).
  double lp_out = 0, hp_in = 0, hp_out = 0; ///< Filter states.
  double ap_in = 0, ap_out = 0;             ///< All pass state.
  std::span<double> line;                   ///< The delay line; storage owned elsewhere.
  std::size_t pos = 0;                      ///< The next sample of the line.
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
  PluckString pluck;                           ///< pluck: the string.

  /// Any thread. Returns: for pluck, the length its delay line needs at `rate` (within
  /// pluck_min_rate..pluck_max_rate, freq within pluck_min_hz..pluck_max_hz); 0 for the other
  /// types. Real-time safe.
  [[nodiscard]] std::size_t pluck_line_length(double rate) const noexcept;
  /// Any thread. Effects: fills in the type's default shape and the sweep's rate for a run of
  /// `frames` frames (0: unknown) at `rate`, and clears the running state; for pluck, tunes the
  /// string and fills its delay line with noise (from `random` when a phase is given, as sox's,
  /// else from a generator seeded by P2 and P3). Preconditions: for pluck, pluck.line holds
  /// pluck_line_length(rate) samples. Real-time safe.
  void prepare(std::uint64_t frames, double rate, SoxRandom& random) noexcept;
  /// Any thread. Returns: the generator's value at frame `n` (n counts up from 0 by one each
  /// call, as the state needs) at `rate`, offset applied: within [-1, 1]. Effects: advances the
  /// noise state and `random`. Real-time safe.
  double value(std::uint64_t n, double rate, SoxRandom& random) noexcept;

private:
  // Effects: tunes the string and fills its line (prepare()'s pluck part).
  void prepare_pluck(double rate, SoxRandom& random) noexcept;
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
/// Noise (and pluck's) is sox's generator seeded as sox -R, so the same every run. Frequencies
/// arrive in Hz (notes are converted when parsed).
class SynthEffect final : public Effect, public HeadroomGain {
public:
  /// Preconditions: options.channels not empty, parameters in sox's ranges.
  SynthEffect(std::string description, SynthOptions options);
  /// Returns: the effect as typed.
  std::string description() const override { return description_; }
  /// Main thread. Effects: resolves the length at the input's rate and prepares one generator
  /// per channel (allocates, pluck's delay lines too). Throws: std::invalid_argument for a length
  /// that is not a time, or a pluck at a rate outside pluck_min_rate..pluck_max_rate.
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
  std::vector<double> lines_;         ///< pluck's delay lines, one after another.
  std::vector<std::size_t> line_at_;  ///< Channel c's line: lines_[line_at_[c]..line_at_[c+1]).
  SoxRandom random_;
  double rate_ = 0, gain_ = 1;
  std::uint64_t input_frames_ = 0, length_ = 0, position_ = 0; ///< length_ 0: unlimited.
};

} // namespace rc
