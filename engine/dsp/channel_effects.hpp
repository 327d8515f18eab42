// engine/dsp/channel_effects.hpp - effects that change which channels there are: remix, swap.
#pragma once

#include "engine/dsp/effect.hpp"

#include <string>
#include <vector>

namespace rc {

/// One input channel's contribution to an output channel.
struct RemixSource {
  int channel = 0;     ///< Input channel, 0-based.
  double volume = 1.0; ///< Multiplier.
};

/// What one output channel of remix is made of; no sources means silence.
struct RemixOutput {
  std::vector<RemixSource> sources; ///< Contributions, resolved against the input channels.
};

/// One input spec as typed: a channel range [first, last] (0 = "to the last channel") with an
/// optional explicit volume. Resolved when the input channel count is known.
struct RemixInputSpec {
  int first = 1;           ///< First input channel, from 1.
  int last = 1;            ///< Last input channel, from 1; 0 means the last channel.
  bool has_volume = false; ///< A vol-spec was given.
  double volume = 1.0;     ///< Its multiplier.
};

/// remix [-m] OUT-SPEC...: each output channel mixes the listed input channels, each scaled by
/// 1/n by default (n inputs in that output; -m: no scaling), or by its own p/i/v volume.
class RemixEffect final : public Effect {
public:
  /// `outputs`: per output channel, its input specs (empty: a silent channel).
  RemixEffect(std::string description, std::vector<std::vector<RemixInputSpec>> outputs,
              bool manual);
  std::string description() const override { return description_; }
  AudioFormat configure(const AudioFormat& input) override;
  AudioBlock process(AudioBlock block) noexcept override;
  /// Returns: true: the mix sets the level (sox: a gain -h's headroom ends here).
  bool sets_gain() const noexcept override { return true; }
  /// Returns: 1 / the largest sum of an output's |volumes| when above 1 (a mix that can pass
  /// full scale), as sox makes headroom for it.
  double headroom_factor() const noexcept override;

private:
  std::string description_;
  std::vector<std::vector<RemixInputSpec>> specs_;
  bool manual_;
  std::vector<RemixOutput> outputs_;
  std::vector<float> buffer_;
};

/// channels N: sox's channels: N output channels from any number. Fewer: output channel j is the
/// mean of input channels j, j + N, j + 2N... (stereo to mono: the mean of both); more: output
/// channel j repeats input channel j mod C (mono to stereo: both sides the same). The same count
/// passes through.
class ChannelsEffect final : public Effect {
public:
  /// Precondition: 1 <= channels <= 256.
  explicit ChannelsEffect(int channels) : channels_(channels) {}
  std::string description() const override { return "channels " + std::to_string(channels_); }
  AudioFormat configure(const AudioFormat& input) override;
  AudioBlock process(AudioBlock block) noexcept override;
  /// Returns: true unless it mixes channels down (repeating them keeps the samples).
  bool keeps_precision() const noexcept override { return !mixes_down_; }

private:
  int channels_;
  bool mixes_down_ = false;          ///< Fewer channels out than in (after configure()).
  std::vector<RemixOutput> outputs_; ///< Empty: the input already has `channels_`.
  std::vector<float> buffer_;
};

/// swap: exchanges channels 1 and 2, 3 and 4, ...; an odd last channel stays (sox's swap).
class SwapEffect final : public Effect {
public:
  std::string description() const override { return "swap"; }
  AudioFormat configure(const AudioFormat& input) override { return input; }
  AudioBlock process(AudioBlock block) noexcept override;
  /// Returns: true: its samples are its input's (Effect::keeps_precision).
  bool keeps_precision() const noexcept override { return true; }
};

} // namespace rc
