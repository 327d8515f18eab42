// engine/dsp/simple_effects.hpp - the effects that are one line of arithmetic per sample:
// gain, the peak limiter, fades and dither.
#pragma once

#include "engine/dsp/effect.hpp"
#include "engine/dsp/synth_effect.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rc {

/// Returns: sox's simple-limiter constant (gain -l) for a gain of `fixed_gain` (a factor).
double sox_limiter_constant(double fixed_gain) noexcept;
/// Returns: `x` times `factor` through sox's simple limiter of constant `limiter`: 1 / (1 / (x *
/// factor) + limiter), the sign kept, so nothing passes full scale. Real-time safe.
float sox_limited(float x, double factor, double limiter) noexcept;

/// gain [-l|-h] DB: multiplies every sample by 10^(DB/20). -l: through sox's simple limiter
/// (sox_limited), so nothing passes full scale; -h: the effects after it lower the gain to keep
/// room for their own boosts (HeadroomGain), as sox's gain -h.
class GainEffect final : public Effect, public HeadroomGain {
public:
  explicit GainEffect(double db);
  /// `description`: as typed ("gain -l 6").
  GainEffect(std::string description, double db, bool limiter, bool headroom);
  std::string description() const override;
  AudioFormat configure(const AudioFormat& input) override { return input; }
  AudioBlock process(AudioBlock block) noexcept override;
  bool sets_gain() const noexcept override { return true; }
  bool makes_headroom() const noexcept override { return headroom_; }
  void lower_gain(double factor) noexcept override;
  double gain_factor() const noexcept override { return gain_; }

private:
  std::string description_;
  double gain_;        ///< The gain as a factor (lowered by later effects with -h).
  float factor_;       ///< gain_ as a float, for process().
  double limiter_ = 0; ///< -l: sox's limiter constant; 0: none.
  bool headroom_ = false;
};

/// A peak limiter as sox's vol and dcshift have it (sox: "a gain much less than 1, e.g. 0.05 or
/// 0.02"): samples beyond a threshold are compressed by `gain` towards full scale instead of being
/// amplified or shifted past it.
struct SoxLimiter {
  double gain = 0;      ///< In (0, 1): the slope beyond the threshold.
  double threshold = 0; ///< Input level (linear) beyond which the limiter acts.
};

/// vol GAIN [TYPE [LIMITERGAIN]]: sox's vol. Multiplies by GAIN (TYPE amplitude, the default; a
/// negative gain inverts), by sqrt(GAIN) (power; the sign kept) or by 10^(GAIN/20) (dB). With
/// LIMITERGAIN (only for |gain| > 1) an input sample beyond (1 - L) / (|gain| - L) becomes
/// +-(1 - L (1 - |x|)), as sox computes it: continuous, and full scale stays full scale (the
/// limited samples keep their sign even when the gain inverts, as in sox).
class VolEffect final : public Effect {
public:
  /// `factor`: the amplitude gain; `limiter_gain`: 0 for no limiter.
  VolEffect(std::string description, double factor, double limiter_gain);
  std::string description() const override { return description_; }
  AudioFormat configure(const AudioFormat& input) override { return input; }
  AudioBlock process(AudioBlock block) noexcept override;
  /// Returns: true unless the gain is 1, which sox leaves out of the chain: it sets the level
  /// itself (a gain -h's headroom ends here).
  bool sets_gain() const noexcept override { return factor_ != 1; }
  /// Returns: the samples the limiter changed (sox warns with this count).
  [[nodiscard]] std::uint64_t limited() const noexcept { return limited_; }

private:
  std::string description_;
  double factor_;
  std::optional<SoxLimiter> limiter_;
  std::uint64_t limited_ = 0;
};

/// dcshift SHIFT [LIMITERGAIN]: sox's dcshift. Adds SHIFT (-2 to 2, full scale 1) to every
/// sample; with LIMITERGAIN, samples beyond the threshold t = 1 - (|SHIFT| - L) on the side the
/// shift goes to are meant to be compressed, (x - t) L / (1 - t) + t + SHIFT, but sox adds all
/// but t in its integer units (2^-31 of full scale), so they land on t: a hard limit at t,
/// computed as sox does (the README says so). Samples just below t still pass full scale.
class DcShiftEffect final : public Effect {
public:
  /// `limiter_gain`: 0 for no limiter.
  DcShiftEffect(std::string description, double shift, double limiter_gain);
  std::string description() const override { return description_; }
  AudioFormat configure(const AudioFormat& input) override { return input; }
  AudioBlock process(AudioBlock block) noexcept override;
  /// Returns: true unless the shift is 0, which sox leaves out of the chain: it sets the level
  /// itself (a gain -h's headroom ends here).
  bool sets_gain() const noexcept override { return shift_ != 0; }
  /// Returns: the samples the limiter changed.
  [[nodiscard]] std::uint64_t limited() const noexcept { return limited_; }

private:
  std::string description_;
  double shift_;
  std::optional<SoxLimiter> limiter_;
  std::uint64_t limited_ = 0;
};

/// contrast [ENHANCEMENT]: sox's contrast, a loudness enhancer like a compressor: each sample x
/// becomes sin(pi/2 x + e sin(2 pi x)), e = ENHANCEMENT / 750 (0 to 100, default 75).
class ContrastEffect final : public Effect {
public:
  /// Precondition: 0 <= enhancement <= 100.
  explicit ContrastEffect(std::string description, double enhancement)
      : description_(std::move(description)), amount_(enhancement / 750) {}
  std::string description() const override { return description_; }
  AudioFormat configure(const AudioFormat& input) override { return input; }
  AudioBlock process(AudioBlock block) noexcept override;

private:
  std::string description_;
  double amount_;
};

/// overdrive [GAIN [COLOUR]]: sox's overdrive: GAIN dB (0 to 100, default 20) into a cubic soft
/// clipper offset by COLOUR / 200 (0 to 100, default 20; even harmonics), through a DC blocker,
/// mixed with half the dry signal: y = 0.5 x + 0.75 dc_blocked(clip(gain x + colour)). At a
/// GAIN of 0 dB sox leaves the effect out whatever the colour: so does this one.
class OverdriveEffect final : public Effect {
public:
  /// Preconditions: 0 <= gain_db <= 100, 0 <= colour <= 100.
  OverdriveEffect(std::string description, double gain_db, double colour);
  std::string description() const override { return description_; }
  AudioFormat configure(const AudioFormat& input) override;
  AudioBlock process(AudioBlock block) noexcept override;
  /// Returns: true: it sets the level itself (a gain -h's headroom ends here, as in sox).
  bool sets_gain() const noexcept override { return true; }
  void reset() noexcept override;

private:
  struct State {
    double last_in = 0, last_out = 0;
  };
  std::string description_;
  double gain_, colour_;
  std::vector<State> state_; ///< One per channel.
};

/// sox's synth "sine fmod SPEED OFFSET 25" (tremolo's modulator), made a block at a time at about
/// the cost of a multiply per frame: frame n's value is sin(2 pi fmod(SPEED n / rate + 0.25, 1))
/// (1 - |o|) + o, with sox's phase arithmetic (SynthChannel::value's). The sine comes from a
/// double-precision complex rotation by 2 pi SPEED / rate per frame, re-seeded from sin and cos
/// of sox's own phase at every position that is a multiple of reseed_interval, so its error
/// never accumulates (within 1e-12 of SynthChannel::value at audio rates; at a huge SPEED n /
/// rate, sox's own phase rounding, ~1e-16 of it, dominates the difference) and each value
/// depends only on its position, never on how the frames were split into blocks.
class TremoloModulator {
public:
  /// Frames between two exact seeds (positions 0, reseed_interval, 2 reseed_interval, ...).
  static constexpr std::uint64_t reseed_interval = 1024;
  /// Any thread. Effects: sets the generator (SPEED `speed_hz` >= 0 at `rate` > 0 Hz, offset
  /// `offset` as a fraction) and goes back to position 0. Real-time safe.
  void configure(double speed_hz, double rate, double offset) noexcept;
  /// Any thread. Effects: writes the values of the next `frames` positions, each times `gain`,
  /// to out[0..frames) and advances the position. Real-time safe (no allocation, lock or
  /// system call).
  void fill(double* out, std::size_t frames, double gain) noexcept;
  /// Any thread. Effects: back to position 0. Real-time safe.
  void reset() noexcept { position_ = 0, until_seed_ = 0; }
  /// Returns: the position of the next value.
  [[nodiscard]] std::uint64_t position() const noexcept { return position_; }

private:
  // Effects: the rotation's state from sox's phase at position_ (sin and cos of it).
  void seed() noexcept;
  double speed_ = 0, rate_ = 1, offset_ = 0, scale_ = 1; ///< scale_: 1 - |offset|.
  double step_cos_ = 1, step_sin_ = 0;                   ///< One frame's rotation.
  double cos_ = 0, sin_ = 1;                             ///< The value at position_.
  std::uint64_t position_ = 0;                           ///< sox's samples_done.
  std::uint64_t until_seed_ = 0; ///< Frames left before the next seed (0: seed now).
};

/// tremolo SPEED [DEPTH]: sox's tremolo, which is sox's synth effect "sine fmod SPEED OFFSET 25"
/// with OFFSET = 100 - DEPTH / 2 printed with %g: each frame n is multiplied by
/// sin(2 pi fmod(SPEED n / rate + 0.25, 1)) (1 - o) + o, o = OFFSET / 100 (a cosine, so the
/// first frame passes at full level). Like sox's synth it sets the gain itself and makes headroom
/// for the effects after it (rate, dither and the output's rounding lower its level), as sox does.
/// The modulator is a TremoloModulator (a rotation re-seeded exactly, not a sin() per frame).
class TremoloEffect final : public Effect, public HeadroomGain {
public:
  /// Preconditions: speed_hz >= 0 and finite, 0 < depth_percent <= 100.
  TremoloEffect(std::string description, double speed_hz, double depth_percent);
  /// Returns: the effect as typed ("tremolo 5 40").
  std::string description() const override { return description_; }
  /// Main thread. Effects: takes the input's rate and channel count; allocates nothing.
  AudioFormat configure(const AudioFormat& input) override;
  /// Worker thread. Effects: multiplies each frame by the modulator at its position and
  /// advances the position. Any block size (worked through in pieces of scratch_frames).
  /// Real-time safe (no allocation, lock or system call).
  AudioBlock process(AudioBlock block) noexcept override;
  /// Effects: back to the first frame (the modulator's phase restarts). Any thread, not while
  /// process() runs.
  void reset() noexcept override { modulator_.reset(); }
  /// Returns: true: sox's synth sets the gain (SOX_EFF_GAIN); a gain -h's headroom ends here.
  bool sets_gain() const noexcept override { return true; }
  /// Returns: true: sox's synth lets later effects lower its level (its out_signal.mult).
  bool makes_headroom() const noexcept override { return true; }
  /// Main thread, configure time. Effects: multiplies the level by `factor`.
  void lower_gain(double factor) noexcept override { gain_ *= factor; }
  /// Returns: the level as a factor (1 unless later effects lowered it).
  double gain_factor() const noexcept override { return gain_; }
  /// Returns: the modulator's offset o (0.5 to 1): its level swings between 2 o - 1 and 1.
  [[nodiscard]] double offset() const noexcept { return offset_; }
  /// Frames of modulator computed at a time (the size of the effect's own scratch buffer).
  static constexpr std::size_t scratch_frames = 512;

private:
  std::string description_;
  double speed_;               ///< Hz.
  double offset_;              ///< sox's synth offset, as a fraction.
  double rate_ = 0;            ///< The input's rate, Hz.
  double gain_ = 1;            ///< sox's synth p->gain (lowered by later effects' headroom).
  TremoloModulator modulator_; ///< The modulator, set up by configure().
  double scratch_[scratch_frames] = {}; ///< One piece's modulator values (no allocation).
};

/// limit DB [RELEASE_MS]: a stereo-linked peak limiter whose output never exceeds DB dBFS.
/// Attack is instantaneous (the gain drops on the very sample that would exceed), release is
/// exponential with the given time constant (default 50 ms). No look-ahead, so no latency.
class LimitEffect final : public Effect {
public:
  LimitEffect(double threshold_db, double release_ms);
  std::string description() const override;
  AudioFormat configure(const AudioFormat& input) override;
  AudioBlock process(AudioBlock block) noexcept override;
  /// Returns: true: it sets the level itself (a gain -h's headroom ends here, as in sox).
  bool sets_gain() const noexcept override { return true; }
  void reset() noexcept override { gain_ = 1.0; }

private:
  double threshold_db_, release_ms_;
  float threshold_ = 1.0f;
  double release_coefficient_ = 0; // per-frame approach of the gain back towards 1
  double gain_ = 1.0;
};

/// A fade curve, as sox's fade types.
enum class FadeShape { quarter_sine, half_sine, linear, logarithmic, parabola };

/// A time given as seconds or as a sample count ("4800s"), resolved against the rate later.
struct TimeSpec {
  double value = 0;     ///< Seconds, or samples if `samples`.
  bool samples = false; ///< The value counts samples (frames).
  /// Returns: the time in frames at `rate`.
  [[nodiscard]] std::uint64_t frames_at(double rate) const;
};

/// fade [TYPE] IN [STOP [OUT]]: ramps up from silence over IN; with STOP, ramps down to silence
/// over OUT (default IN) ending at STOP and cuts the audio there (sox's fade). STOP "0" or "-0"
/// means the end of the input (the driver passes the length via set_input_length()).
class FadeEffect final : public Effect {
public:
  FadeEffect(std::string description, FadeShape shape, TimeSpec in, std::optional<TimeSpec> stop,
             std::optional<TimeSpec> out, bool stop_at_end);
  std::string description() const override { return description_; }
  AudioFormat configure(const AudioFormat& input) override;
  AudioBlock process(AudioBlock block) noexcept override;
  void reset() noexcept override { position_ = 0; }
  /// A fade-out needs to know where the audio ends: not available live.
  bool offline_only() const noexcept override { return stop_spec_.has_value() || stop_at_end_; }
  /// Before configure(): the input length in frames, for a stop position at the end.
  void set_input_length(std::uint64_t frames) noexcept override { length_ = frames; }
  /// Returns: whether a fade-out ending at the end of the input still needs set_input_length().
  [[nodiscard]] bool needs_length() const noexcept { return stop_at_end_; }

private:
  float gain_at(std::uint64_t frame) const noexcept;
  std::string description_;
  FadeShape shape_;
  TimeSpec in_spec_;
  std::optional<TimeSpec> stop_spec_, out_spec_;
  bool stop_at_end_;
  std::optional<std::uint64_t> length_;
  std::uint64_t in_ = 0;
  std::optional<std::uint64_t> stop_;
  std::uint64_t out_ = 0;
  std::uint64_t position_ = 0;
};

/// dither [-p BITS | BITS]: sox's dither (its plain TPDF): adds triangular noise of +-1 LSB at
/// the target precision (RMS sqrt(1/6) LSB, as sox's two RANQD1 >> BITS terms), decorrelating
/// the quantisation error of a bit-depth reduction. The target is BITS, else the output's depth
/// (EffectChain::set_output_bits; float, a 32-bit integer or no output: above 24 bits). As sox's
/// start() it has no effect (has_no_effect(); the chain then drops it, as sox drops a
/// SOX_EFF_NULL effect) when the precision reaching it is not deeper than the target or the
/// target is above 24 bits. Unlike sox's, its output is not rounded to the target's grid (the
/// output's own rounding does that when it is as deep).
class DitherEffect final : public Effect {
public:
  /// `bits`: the target precision, 2..24, or 0: the output's, known at configure time.
  /// `automatic`: added by the chain (sox's automatic dither), named so in description().
  explicit DitherEffect(int bits, bool automatic = false);
  /// Returns: "dither", with the target once known ("dither 16"), " (automatic)" when added by
  /// the chain.
  std::string description() const override;
  /// Main thread, before configure(). Effects: the output's depth in bits (0: float or none).
  void set_output_bits(int bits) noexcept { output_bits_ = bits; }
  /// Main thread, before configure(). Effects: the precision reaching the effect (sox's
  /// in_signal.precision).
  void set_input_precision(int bits) noexcept override { input_precision_ = bits; }
  /// Main thread. Effects: settles the target and whether the effect has one (sox's start()).
  /// Returns: `input`. Allocates nothing.
  AudioFormat configure(const AudioFormat& input) override;
  /// Worker thread. Effects: adds the noise (nothing when has_no_effect()). Real-time safe.
  AudioBlock process(AudioBlock block) noexcept override;
  /// After configure(). Returns: true if it changes nothing (sox: "has no effect in this
  /// configuration").
  [[nodiscard]] bool has_no_effect() const noexcept { return !active_; }
  /// After configure(). Returns: the target precision in bits (the output's when not given).
  [[nodiscard]] int target_bits() const noexcept { return target_; }
  /// Returns: true when it has no effect (the precision passes through).
  bool keeps_precision() const noexcept override { return !active_; }
  /// Returns: sox's allowance for the noise at the target: (2^31 - 1 - 3 q) / (2^31 - 1 - q),
  /// q = 2^(31 - bits) (the output's own allowance, EffectChain::set_output_bits, comes on top);
  /// 1 when it has no effect.
  double headroom_factor() const noexcept override;
  /// Any thread, not while process() runs. Effects: the noise restarts.
  void reset() noexcept override { state_ = 0x9E3779B97F4A7C15ull; }

private:
  float next_uniform() noexcept; // in [0, 1)
  int bits_;                     ///< As given; 0: the output's.
  bool automatic_;
  int output_bits_ = 0;      ///< See set_output_bits().
  int input_precision_ = 32; ///< See set_input_precision().
  int target_ = 0;           ///< The target precision (configure()).
  bool active_ = true;       ///< Whether it adds noise (configure()).
  float lsb_ = 0;            ///< One LSB at the target, on the float scale.
  std::uint64_t state_ = 0x9E3779B97F4A7C15ull;
};

} // namespace rc
