// engine/dsp/effect_chain.hpp - effects in order, run block by block.
#pragma once

#include "engine/dsp/effect.hpp"

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rc {

class BiquadEffect;
class MeasuredGainEffect;

/// What an offline chain made of one input block (EffectChain::process with a sink).
struct ChainOutcome {
  /// True if an effect ended the output (Effect::ended(), sox's SOX_EOF: silence after its last
  /// BELOW period): the chain takes no more input until reset(); flush() then gives what the
  /// effects after the ending one hold.
  bool ended = false;
  /// Frames of the block the chain took: all of them unless `ended`; when `ended`, those the
  /// ending effect took (Effect::frames_taken()) if every effect before it passed the block on
  /// frame for frame in one piece (gain, filters), else all of them (what the effects before it
  /// had made of the rest is dropped, as sox drops what they buffered).
  std::size_t frames_used = 0;
};

/// An ordered list of effects. Build with add(), configure() once for the input's shape, then
/// process() blocks (worker thread; no allocation) and flush() at the end of the input.
class EffectChain {
public:
  /// Effects: appends `effect` (before configure()).
  void add(std::unique_ptr<Effect> effect);
  /// Effects: appends TPDF dither for a `bits`-deep integer output unless the chain already has
  /// a dither effect (sox's automatic dither for outputs of 16 bits or fewer).
  void add_automatic_dither(int bits);
  /// Returns: true if there are no effects.
  [[nodiscard]] bool empty() const noexcept { return effects_.empty(); }
  /// Returns: the effects, in order.
  [[nodiscard]] const std::vector<std::unique_ptr<Effect>>& effects() const noexcept {
    return effects_;
  }

  /// Effects: tells length-dependent effects (fade to the end) that the input has `frames` frames.
  void set_input_length(std::uint64_t frames, double rate);
  /// Main thread, before configure(). Effects: the input's samples hold `bits` bits of
  /// precision (sox's: 16 for 16-bit PCM, 25 for 32-bit float); configure() passes each effect
  /// the precision reaching it (Effect::set_input_precision). Default 32.
  void set_input_precision(int bits) noexcept { input_precision_ = bits; }
  /// Effects: the output is integer PCM of `bits` bits (0: float, the default): a gain -h with no
  /// effect setting the gain after it leaves room for the output's rounding, as sox does, and a
  /// dither without BITS takes it as its target (DitherEffect).
  void set_output_bits(int bits) noexcept { output_bits_ = bits; }
  /// Main thread, before configure(). Effects: configure() adds no automatic rate: the caller
  /// adds sox's format stages itself, after the effects (process's -r, -c, -G and --norm, where
  /// sox's guard surrounds that rate too); output_rate() says where the rate must go.
  void leave_rate_to_caller() noexcept { automatic_rate_ = false; }
  /// Main thread. Returns: the rate the output takes when nothing else asks for one: the last
  /// rate effect's target, else `input_rate` (a speed effect changes the audio's rate, not the
  /// output's: sox resamples back after it).
  [[nodiscard]] double output_rate(double input_rate) const noexcept;
  /// Main thread. Effects: inserts sox's automatic rate effect when a speed effect leaves the
  /// audio at another rate than the output's (add_automatic_rate; not after
  /// leave_rate_to_caller()), configures every effect in
  /// turn, removing each dither that has no effect (DitherEffect::has_no_effect(), as sox drops
  /// it: effects() no longer lists it), then lets each gain -h make headroom for the
  /// effects after it (HeadroomGain) and tells each gain -r what it reclaims.
  /// Returns: the output shape.
  /// Throws: std::invalid_argument naming the effect that cannot take its input.
  AudioFormat configure(const AudioFormat& input);
  /// What an offline chain hands its output to, piece by piece.
  using Sink = std::function<void(AudioBlock)>;
  /// Worker thread, live chains (no offline-only effect: each gives one block per block).
  /// Returns: `block` after every effect (possibly a view of an effect's buffer).
  AudioBlock process(AudioBlock block) noexcept;
  /// Worker thread, offline chains. Effects: runs `block` through every effect, passing to
  /// `sink` each piece of output in order, also the pieces an effect gives beyond one block per
  /// block (Effect::more(): pad, delay, trim). Pieces are views valid during the call. Once an
  /// effect has ended the output (Effect::ended()) nothing more goes in: the rest of this call
  /// is skipped and later calls take nothing. Returns: whether the output ended, and how much of
  /// `block` was taken (ChainOutcome).
  ChainOutcome process(AudioBlock block, const Sink& sink);
  /// Effects: ends the input effect by effect (Effect::end_input()), passing what each releases
  /// (rate's delay line, delay's tail, padding at the end) through the effects after it to
  /// `sink`; after an effect ended the output, only that effect and those after it (as sox drains
  /// a chain that an effect stopped).
  void flush(const Sink& sink);
  /// Returns: true if an effect ended the output (see process()) since configure() or reset().
  [[nodiscard]] bool ended() const noexcept { return ended_; }
  /// Effects: resets the state of every effect from effects_[first] on (for another pass over
  /// the same input; those before `first` keep theirs, e.g. what a stat before a replayed
  /// measured gain found), and the chain's record of an ended output.
  void reset(std::size_t first = 0) noexcept;
  /// Main thread, after configure(), between passes. Effects: the offline process() and flush()
  /// run effects_[first, end) only, and hand `sink` what effects_[end - 1] gives: a pass that
  /// sets aside what reaches an effect (a norm's input, replayed after its measuring pass
  /// instead of running the effects before it again) or goes on from there. configure() runs
  /// all of them again. Preconditions: first <= end <= effects().size().
  void set_span(std::size_t first, std::size_t end) noexcept { first_ = first, end_ = end; }

  /// Returns: the first failure of an effect, "effect: what" ("" when none failed).
  [[nodiscard]] std::string error() const;
  /// After configure(). Returns: true if every effect keeps its input's precision
  /// (Effect::keeps_precision; true for no effects).
  [[nodiscard]] bool keeps_precision() const noexcept;
  /// Returns: the first effect that cannot run live, or nullptr.
  [[nodiscard]] const Effect* first_offline_only() const noexcept;
  /// Returns: the norm effects that still need their measuring pass.
  [[nodiscard]] std::vector<MeasuredGainEffect*> norms_to_measure() const;
  /// Returns: (description, clipped samples) for each effect that clipped.
  [[nodiscard]] std::vector<std::pair<std::string, std::uint64_t>> clips() const;
  /// Returns: the effects as typed, space separated ("gain -3 highpass 80").
  [[nodiscard]] std::string description() const;
  /// After configure(). Returns: each effect's output shape, in the effects' order (sox -V3's
  /// "effects chain" lines).
  [[nodiscard]] const std::vector<AudioFormat>& formats() const noexcept { return formats_; }
  /// After configure(). Returns: sox's signal.mult at the chain's end: the gain of the effect
  /// whose headroom reaches it (a gain -h, a synth without -n; HeadroomGain), as lowered by the
  /// effects after it, the output's rounding not counted; none when the last effect that sets
  /// the gain makes no headroom (or there is none). sox's -G adds its last gain unless this is 1.
  [[nodiscard]] std::optional<double> end_headroom() const noexcept;

private:
  /// Main thread, configure time. Effects: when the speed effects before the first dither leave
  /// the audio at another rate than the output's (the last rate effect's, else `input_rate`),
  /// inserts a rate effect to it before that dither (or at the end), where sox adds its own.
  /// Adds nothing when the rates agree, so a second call adds nothing more. May allocate.
  void add_automatic_rate(double input_rate);
  AudioBlock process_from(std::size_t first, AudioBlock block) noexcept;
  /// Effects: runs `block` through effects_[first...] to `sink`. `direct`: the block is the
  /// block given to process() frame for frame (for ChainOutcome::frames_used).
  void run_from(std::size_t first, AudioBlock block, const Sink& sink, bool direct);
  /// Effects: runs `block` through effects_[index], or through the run of biquads that starts
  /// there in one fused loop. Returns: how many effects it went through. Real-time safe.
  std::size_t apply(std::size_t index, AudioBlock& block) noexcept;
  /// Effects: hands what effects_[index] has more (Effect::more()) to the effects after it.
  void drain(std::size_t index, const Sink& sink);
  std::vector<std::unique_ptr<Effect>> effects_;
  std::vector<AudioFormat> formats_;        ///< See formats().
  std::optional<double> end_headroom_;      ///< See end_headroom().
  bool automatic_rate_ = true;              ///< See leave_rate_to_caller().
  bool ended_ = false;                      ///< See ended().
  std::size_t ended_at_ = 0;                ///< The effect that ended the output, when ended_.
  std::size_t block_frames_ = 0;            ///< Frames of the block process() was given.
  std::size_t frames_used_ = 0;             ///< ChainOutcome::frames_used of that block.
  std::size_t first_ = 0, end_ = 0;         ///< See set_span(); all of them after configure().
  int output_bits_ = 0;                     ///< See set_output_bits().
  int input_precision_ = 32;                ///< See set_input_precision().
  std::array<BiquadEffect*, 16> cascade_{}; // scratch for apply(): no allocation there
};

} // namespace rc
