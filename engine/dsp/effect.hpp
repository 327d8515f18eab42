// engine/dsp/effect.hpp - the interface every effect in a chain implements.
#pragma once

#include "engine/dsp/audio_block.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace rc {

/// One processing stage. Lifecycle: configure() once (allocates), then process() per block on
/// the worker thread (never allocates, never throws), reset() to start a new stream.
class Effect {
public:
  virtual ~Effect() = default;

  /// Returns: the effect as the user typed it, e.g. "highpass 80".
  [[nodiscard]] virtual std::string description() const = 0;

  /// Effects: prepares for audio of `input` shape, allocating whatever process() needs.
  /// Returns: the shape of the output. Throws: std::invalid_argument if the effect cannot work
  /// on this input (e.g. a frequency above Nyquist), with a message naming the effect.
  virtual AudioFormat configure(const AudioFormat& input) = 0;

  /// Worker thread. Effects: processes `block`. Returns: the output, either `block` itself
  /// (in-place effects) or a view of the effect's own buffer (remix, rate).
  /// Real-time safe for live effects: no allocation, lock or system call.
  virtual AudioBlock process(AudioBlock block) noexcept = 0;

  /// Worker thread, offline chains (EffectChain::process with a sink). Returns: the next piece
  /// of output the effect has ready without more input, after process() or end_input(): an
  /// effect that lengthens its input (pad, delay) or splits it (trim) gives the rest this way;
  /// frames 0 when there is nothing more until the next input. A piece stays valid until the
  /// next call, and the effects after this one may change it in place: an effect must not
  /// give the same buffer again expecting it unchanged. Real-time safe as process().
  virtual AudioBlock more() noexcept { return {nullptr, 0, 0}; }

  /// Worker thread, offline chains. Effects: the input has ended: what the effect holds back
  /// (a resampler's delay line, a delay's tail, padding at the end) comes out through more().
  virtual void end_input() noexcept {}

  /// Worker thread, offline chains, after process() or more(). Returns: true once the effect has
  /// ended its output for good (sox's SOX_EOF from an effect's flow: silence after its last BELOW
  /// period): it takes no more input, and what follows it in a split chain (: newfile) starts
  /// with the input frame after frames_taken(). Default: never.
  [[nodiscard]] virtual bool ended() const noexcept { return false; }

  /// Worker thread, offline chains, when ended(). Returns: how many frames of the input block
  /// last given to process() the effect took before it ended (the rest it did not look at).
  [[nodiscard]] virtual std::size_t frames_taken() const noexcept { return 0; }

  /// Offline, after configure(). Returns: how many input frames at the start the effect drops
  /// whatever they hold (trim before its first position), so that a reader feeding it directly
  /// may skip them (sox's seek for a trim that starts the chain) and call start_at(). Default 0.
  [[nodiscard]] virtual std::uint64_t frames_before_output() const noexcept { return 0; }

  /// Offline, after configure(). Returns: the input frame (counted from the input's first) at
  /// which the effect takes no more input whatever follows (the end of trim's last window), so
  /// that a reader feeding it directly may stop there instead of reading ahead;
  /// UINT64_MAX: all of the input. Default UINT64_MAX.
  [[nodiscard]] virtual std::uint64_t frames_wanted() const noexcept { return UINT64_MAX; }

  /// Offline, after configure(), before process(). Precondition: frame <= frames_before_output().
  /// Effects: the first block given will be input frame `frame`: those before it were skipped,
  /// not lost. Default: nothing to do (frames_before_output() is 0).
  virtual void start_at(std::uint64_t frame) noexcept { (void)frame; }

  /// Offline, before configure(). Effects: tells the effect its input's length in frames, for
  /// effects that place something relative to the end (a fade to the end; trim, pad and delay
  /// positions from the end). Default: not needed.
  virtual void set_input_length(std::uint64_t frames) noexcept { (void)frames; }

  /// Main thread, before configure(). Effects: tells the effect the precision in bits (1..32)
  /// of the samples reaching it (sox's in_signal.precision: the input file's, 32 after an
  /// effect that computes new values), for effects that judge levels as sox does (silence).
  /// Default: not needed.
  virtual void set_input_precision(int bits) noexcept { (void)bits; }

  /// Offline, after set_input_length(). Returns: the output's length for `frames` frames of
  /// input at `rate`, for an effect that cuts or lengthens the audio (trim, pad, delay); the
  /// same length by default, and when the effect cannot resolve its positions.
  [[nodiscard]] virtual std::uint64_t output_length(std::uint64_t frames, double rate) const {
    (void)rate;
    return frames;
  }

  /// Effects: forgets all state (filter memory, position) so a new stream can start.
  virtual void reset() noexcept {}

  /// Returns: true if the effect needs to see the whole input first or changes the length or
  /// rate (norm, rate): it can run offline but not live.
  [[nodiscard]] virtual bool offline_only() const noexcept { return false; }

  /// Offline. Returns: why the effect could not give its output ("" while all is well): a
  /// spooling effect (reverse, repeat) whose temporary file failed. The run then fails.
  [[nodiscard]] virtual std::string error() const { return {}; }

  /// After configure(). Returns: true if every output sample is an input sample or silence
  /// (sox's SOX_EFF_MODIFY: trim, pad, reverse, swap, an analysis): a chain of only these leaves
  /// the input's precision, so an output as deep as the input needs no dither.
  [[nodiscard]] virtual bool keeps_precision() const noexcept { return false; }

  /// Returns: true if the effect sets the gain itself (sox's SOX_EFF_GAIN: gain, norm, vol,
  /// dcshift, overdrive, remix...): headroom a gain -h made before it reaches no further.
  [[nodiscard]] virtual bool sets_gain() const noexcept { return false; }

  /// After configure(). Returns: the factor by which a gain -h before this effect lowers its
  /// gain to leave this effect room (sox's in_signal.mult): 1 by default; a boost's 1/gain, rate's
  /// 0.705.
  [[nodiscard]] virtual double headroom_factor() const noexcept { return 1.0; }

  /// Returns: samples this effect produced beyond full scale (|x| > 1), as sox counts clips.
  [[nodiscard]] std::uint64_t clipped() const noexcept { return clipped_; }

protected:
  /// Counts the samples of `block` beyond full scale into clipped().
  void count_clips(const AudioBlock& block) noexcept {
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < block.samples(); ++i)
      n += (block.data[i] > 1.0f) | (block.data[i] < -1.0f);
    clipped_ += n;
  }

  std::uint64_t clipped_ = 0; ///< See clipped().
};

/// A gain effect that can make headroom for the effects after it (sox's gain -h): the chain
/// lowers its gain by each later effect's headroom_factor(), up to the next effect that sets the
/// gain itself, as sox does through in_signal.mult. Configure time only (main thread).
class HeadroomGain {
public:
  virtual ~HeadroomGain() = default;
  /// Returns: true if the effect was asked to make headroom (-h).
  [[nodiscard]] virtual bool makes_headroom() const noexcept = 0;
  /// Effects: multiplies the effect's gain by `factor`.
  virtual void lower_gain(double factor) noexcept = 0;
  /// Returns: the effect's gain now, as a factor (what a later gain -r reclaims: its inverse).
  [[nodiscard]] virtual double gain_factor() const noexcept = 0;
};

} // namespace rc
