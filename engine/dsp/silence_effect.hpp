// engine/dsp/silence_effect.hpp - sox's silence effect: drops silence at the start, at the end
// or in the middle of the audio, judged on a running RMS as sox 14.4.2 does. Files only.
#pragma once

#include "engine/dsp/effect.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace rc {

/// What silence is, for one end of sox's silence effect.
struct SilenceCondition {
  int periods = 0;      ///< How many periods of `duration` to count (sox's *_periods).
  std::string duration; ///< As typed: sox time, a bare number being samples (sox's 's').
  double threshold = 0; ///< In `unit`.
  char unit = '%';      ///< '%' (percent of full scale), 'd' (dB), or 0 (linear, sox's unset).
};

/// The parsed arguments of `silence [-l] ABOVE [DURATION THRESHOLD [BELOW DURATION THRESHOLD]]`.
struct SilenceOptions {
  bool leave = false;       ///< -l: keep `below.duration` of each silence in the middle.
  bool trims_start = false; ///< ABOVE_PERIODS > 0: drop audio until `above` is met.
  SilenceCondition above;   ///< What ends the silence at the start.
  bool trims_end = false;   ///< A BELOW triple was given.
  bool restart = false;     ///< BELOW_PERIODS was negative: look for the start again.
  SilenceCondition below;   ///< What counts as silence after the start.
};

/// silence: sox 14.4.2's silence.c, sample for sample. A window of rate/50 x channels squared
/// samples (interleaved) gives an RMS for each sample; the start is trimmed until ABOVE periods
/// of DURATION frames whose RMS is above the threshold on any channel (all but the last period
/// are dropped too); after that, DURATION of frames with the RMS below the threshold on some
/// channel is held back and dropped once BELOW periods are counted (ending the output, or
/// looking for the start again when BELOW was negative); a shorter hold is given back. sox's
/// oddities are kept: a bare duration is samples, the RMS is masked to the input's precision,
/// -l gives the held silence again when it is flushed. Offline only.
class SilenceEffect final : public Effect {
public:
  /// Main thread. Effects: keeps `options` (already checked by the parser) for configure().
  SilenceEffect(std::string description, SilenceOptions options);
  /// Returns: the effect as typed.
  std::string description() const override { return description_; }
  /// Main thread. Effects: resolves the durations at the input's rate and allocates the window
  /// and the hold buffers. Throws: std::invalid_argument when a duration is out of range at this
  /// rate or its hold buffer would pass max_hold_bytes.
  AudioFormat configure(const AudioFormat& input) override;
  /// Worker thread. Effects: takes `block` as the current input. Returns: its first piece of
  /// output (frames 0: none yet). Real-time safe: no allocation, lock or system call.
  AudioBlock process(AudioBlock block) noexcept override;
  /// Worker thread. Returns: the next piece of output (a view of the input or of a hold buffer,
  /// valid until the next call), frames 0 when the current input is used up. Real-time safe.
  AudioBlock more() noexcept override;
  /// Worker thread. Effects: the input has ended: held silence shorter than DURATION comes out
  /// through more(), as sox's drain. Real-time safe.
  void end_input() noexcept override;
  /// Any thread, between streams. Effects: back to the state after configure(). Real-time safe.
  void reset() noexcept override;
  /// Returns: true: the output's length depends on the audio.
  bool offline_only() const noexcept override { return true; }
  /// Returns: true: its samples are its input's (Effect::keeps_precision).
  bool keeps_precision() const noexcept override { return true; }
  /// Worker thread. Returns: true once BELOW periods of silence ended the output (a positive
  /// BELOW_PERIODS; sox's SOX_EOF).
  bool ended() const noexcept override { return mode_ == Mode::stop; }
  /// Worker thread, when ended(). Returns: the frames of the current input taken up to and
  /// including the last frame of the silence that ended the output.
  std::size_t frames_taken() const noexcept override { return offset_; }
  /// Main thread, before configure(). Effects: the precision in bits (1..32) of the samples
  /// reaching the effect (sox's in_signal.precision): the RMS is masked to it, as in sox.
  void set_input_precision(int bits) noexcept override;

  /// The most memory one hold buffer (DURATION x channels floats) may take.
  static constexpr std::uint64_t max_hold_bytes = std::uint64_t{1} << 30;

private:
  enum class Mode { trim, trim_flush, copy, copy_flush, stop };
  /// Returns: sox's RMS over the window were `sample` to replace its oldest value.
  std::int32_t rms_with(std::int32_t sample) const noexcept;
  /// Effects: puts `sample` into the window.
  void update_rms(std::int32_t sample) noexcept;
  void clear_rms() noexcept;
  bool above(std::int32_t rms, const SilenceCondition& c) const noexcept;
  /// Effects: drops input until the start is found (mode trim_flush) or the block is used up.
  void scan_trim() noexcept;
  AudioBlock next() noexcept;

  std::string description_;
  SilenceOptions options_;
  int channels_ = 0;
  std::int32_t mask_ = -1;      ///< sox's -1 << (32 - precision).
  std::vector<double> window_;  ///< Squared samples, interleaved (at least one).
  std::size_t window_size_ = 0; ///< sox's window_size (may be 0 below 50 Hz).
  std::size_t window_pos_ = 0;
  double rms_sum_ = 0;
  std::vector<float> start_hold_, stop_hold_;
  std::size_t start_duration_ = 0, stop_duration_ = 0; ///< In samples (frames x channels).
  std::size_t start_end_ = 0, stop_end_ = 0;           ///< Samples held.
  int start_found_ = 0, stop_found_ = 0;
  Mode mode_ = Mode::copy;
  AudioBlock block_{nullptr, 0, 0}; ///< The current input; `offset_` frames of it handled.
  std::size_t offset_ = 0;
};

} // namespace rc
