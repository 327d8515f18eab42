// engine/dsp/time_effects.hpp - effects that cut or lengthen the audio, as sox's: trim and pad.
// They run on files only (offline chains, Effect::more()).
#pragma once

#include "engine/dsp/effect.hpp"
#include "engine/dsp/sample_spool.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rc {

/// trim POSITION...: sox's trim. The positions (sox_position: "=1:00", "+2", "-0.5", "4800s";
/// unanchored ones count from the previous position) alternately start and stop copying: `trim
/// 10 5` keeps 5 s from 10 s, `trim 0 1 2 1` keeps [0, 1) and [3, 4), an odd count keeps to the
/// end. Positions relative to the end need the input's length (set_input_length()). Offline
/// only.
class TrimEffect final : public Effect {
public:
  /// `positions` as typed. Throws: std::invalid_argument naming a position that is not one.
  TrimEffect(std::string description, std::vector<std::string> positions);
  std::string description() const override { return description_; }
  /// Throws: std::invalid_argument when a position is before the one before it, or relative
  /// to an end that is not known.
  AudioFormat configure(const AudioFormat& input) override;
  AudioBlock process(AudioBlock block) noexcept override;
  /// Returns: true: its samples are its input's (Effect::keeps_precision).
  bool keeps_precision() const noexcept override { return true; }
  AudioBlock more() noexcept override;
  /// Effects: forgets the last block (nothing of it is left to give).
  void end_input() noexcept override { block_ = {nullptr, 0, block_.channels}; }
  void reset() noexcept override;
  bool offline_only() const noexcept override { return true; }
  void set_input_length(std::uint64_t frames) noexcept override { length_ = frames; }
  [[nodiscard]] std::uint64_t output_length(std::uint64_t frames, double rate) const override;
  /// Worker thread. Returns: true once the last window has passed (sox's trim returns SOX_EOF
  /// there): nothing more will come out, so the reading can stop, and in a split chain
  /// (`trim 0 10 : newfile : restart`) the next file starts.
  [[nodiscard]] bool ended() const noexcept override { return ended_; }
  /// Worker thread, when ended(). Returns: the frames of the current block up to the end of the
  /// last window.
  [[nodiscard]] std::size_t frames_taken() const noexcept override { return taken_; }
  /// Returns: the input frames before the first kept one (Effect::frames_before_output).
  [[nodiscard]] std::uint64_t frames_before_output() const noexcept override;
  /// Returns: the end of the last window (Effect::frames_wanted); UINT64_MAX when it is open.
  [[nodiscard]] std::uint64_t frames_wanted() const noexcept override {
    return windows_.empty() ? UINT64_MAX : windows_.back().second;
  }
  /// Effects: counts from input frame `frame` (Effect::start_at).
  void start_at(std::uint64_t frame) noexcept override { position_ = frame; }

private:
  /// Returns: the kept windows [start, end) at `rate` for an input of `length` frames (nothing:
  /// unknown). Throws: std::invalid_argument as configure().
  std::vector<std::pair<std::uint64_t, std::uint64_t>>
  windows_at(double rate, std::optional<std::uint64_t> length) const;

  std::string description_;
  std::vector<std::string> positions_;
  std::optional<std::uint64_t> length_;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> windows_; ///< Kept [start, end).
  std::size_t window_ = 0;          ///< The first window not yet passed.
  std::uint64_t position_ = 0;      ///< Input frames before the current block.
  AudioBlock block_{nullptr, 0, 0}; ///< The current block; `offset_` frames of it handled.
  std::size_t offset_ = 0;
  bool ended_ = false;    ///< See ended().
  std::size_t taken_ = 0; ///< See frames_taken().
};

/// pad LENGTH[@POSITION]...: sox's pad. Inserts LENGTH of silence at each POSITION of the input
/// (sox_position, from the start unless it says otherwise); a first LENGTH without a position
/// goes at the start, any later one at the end (`pad 1 2`: 1 s before, 2 s after). Positions
/// must increase. Offline only.
class PadEffect final : public Effect {
public:
  /// `pads` as typed. Throws: std::invalid_argument naming one that is not LENGTH[@POSITION].
  PadEffect(std::string description, std::vector<std::string> pads);
  std::string description() const override { return description_; }
  /// Throws: std::invalid_argument when positions do not increase or one is after the end.
  AudioFormat configure(const AudioFormat& input) override;
  AudioBlock process(AudioBlock block) noexcept override;
  /// Returns: true: its samples are its input's (Effect::keeps_precision).
  bool keeps_precision() const noexcept override { return true; }
  AudioBlock more() noexcept override;
  void end_input() noexcept override;
  void reset() noexcept override;
  bool offline_only() const noexcept override { return true; }
  void set_input_length(std::uint64_t frames) noexcept override { length_ = frames; }
  [[nodiscard]] std::uint64_t output_length(std::uint64_t frames, double rate) const override;

private:
  struct Pad {
    std::uint64_t start = 0;  ///< Input frame the silence goes before (end_marker: the end).
    std::uint64_t frames = 0; ///< Frames of silence.
  };
  static constexpr std::uint64_t end_marker = UINT64_MAX;
  /// Returns: the pads resolved at `rate` for an input of `length` frames (nothing: unknown).
  /// Throws: std::invalid_argument as configure().
  std::vector<Pad> pads_at(double rate, std::optional<std::uint64_t> length) const;
  AudioBlock next() noexcept;

  std::string description_;
  std::vector<std::string> specs_;
  std::optional<std::uint64_t> length_;
  std::vector<Pad> pads_;
  std::vector<float> silence_; ///< A block of zeros, emitted as often as a pad needs.
  std::size_t max_frames_ = 0;
  std::size_t pad_ = 0;             ///< The first pad not yet emitted completely.
  std::uint64_t pad_done_ = 0;      ///< Frames of that pad emitted.
  std::uint64_t position_ = 0;      ///< Input frames passed on.
  AudioBlock block_{nullptr, 0, 0}; ///< The current block; `offset_` frames of it passed on.
  std::size_t offset_ = 0;
  int channels_ = 0;
};

/// repeat [COUNT] and reverse: sox's. Both keep their input in a SampleSpool: repeat passes it
/// on and then gives it again COUNT times (default 1; sox's endless "repeat -" is refused: it
/// would never end a file); reverse gives it back last frame first once it has all of it.
/// Offline only. A failing temporary file (disk full) is the effect's error().
class SpoolEffect final : public Effect {
public:
  /// What the spool is for.
  enum class Kind { repeat, reverse };
  /// `count`: repeats after the input (repeat), unused for reverse.
  SpoolEffect(std::string description, Kind kind, std::uint64_t count);
  std::string description() const override { return description_; }
  AudioFormat configure(const AudioFormat& input) override;
  AudioBlock process(AudioBlock block) noexcept override;
  /// Returns: true: its samples are its input's (Effect::keeps_precision).
  bool keeps_precision() const noexcept override { return true; }
  AudioBlock more() noexcept override;
  void end_input() noexcept override { ending_ = true; }
  void reset() noexcept override;
  bool offline_only() const noexcept override { return true; }
  [[nodiscard]] std::uint64_t output_length(std::uint64_t frames, double rate) const override;
  [[nodiscard]] std::string error() const override { return spool_.error(); }

private:
  std::string description_;
  Kind kind_;
  std::uint64_t count_;
  SampleSpool spool_;
  std::vector<float> out_; ///< max_frames frames read back at a time.
  std::size_t max_frames_ = 0;
  int channels_ = 0;
  bool ending_ = false;
  bool started_ = false;
  std::uint64_t given_ = 0; ///< Frames given back so far (after the input ended).
};

/// delay POSITION...: sox's delay. Delays channel k by the k-th time (sox_position, from the
/// start unless it says otherwise; unanchored "+" ones from the previous), channels beyond the
/// list not at all, and lengthens the audio by the longest delay: each channel's tail, then
/// silence. The delays together hold at most max_delay_bytes of samples. Offline only.
class DelayEffect final : public Effect {
public:
  /// The most memory the delay lines may take (the sum over channels of delay x 4 bytes).
  static constexpr std::uint64_t max_delay_bytes = std::uint64_t{1} << 30;

  /// `delays` as typed. Throws: std::invalid_argument naming one that is not a position.
  DelayEffect(std::string description, std::vector<std::string> delays);
  std::string description() const override { return description_; }
  /// Throws: std::invalid_argument when more delays are given than the input has channels, a
  /// position is relative to an unknown end, or the delays pass max_delay_bytes.
  AudioFormat configure(const AudioFormat& input) override;
  AudioBlock process(AudioBlock block) noexcept override;
  /// Returns: true: its samples are its input's (Effect::keeps_precision).
  bool keeps_precision() const noexcept override { return true; }
  AudioBlock more() noexcept override;
  void end_input() noexcept override { ending_ = true; }
  void reset() noexcept override;
  bool offline_only() const noexcept override { return true; }
  void set_input_length(std::uint64_t frames) noexcept override { length_ = frames; }
  [[nodiscard]] std::uint64_t output_length(std::uint64_t frames, double rate) const override;

private:
  /// Returns: each listed channel's delay in frames at `rate` for an input of `length` frames.
  /// Throws: std::invalid_argument for a position from an unknown end.
  std::vector<std::uint64_t> delays_at(double rate, std::optional<std::uint64_t> length) const;

  struct Line {
    std::vector<float> ring; ///< The last `delay` samples of the channel (zeros at first).
    std::size_t index = 0;   ///< The oldest.
  };
  std::string description_;
  std::vector<std::string> specs_;
  std::optional<std::uint64_t> length_;
  std::vector<Line> lines_;     ///< One per input channel (empty ring: no delay).
  std::uint64_t max_delay_ = 0; ///< The tail's length.
  std::uint64_t tail_done_ = 0; ///< Frames of the tail given.
  bool ending_ = false;
  std::vector<float> tail_; ///< max_frames frames of the tail at a time.
  std::size_t max_frames_ = 0;
};

} // namespace rc
