// engine/dsp/analysis_effects.hpp - sox's analysis effects stat and stats: they pass the audio
// through unchanged and measure it; after the run, their figures and sox's text for them.
//
// Both measure what sox measures: sox's native samples, 32-bit integers. A float sample becomes
// one as sox reads a float file (x * 2^31, truncated towards zero, clipped), so for an input
// file of 8, 16, 24-bit PCM or float, the figures are sox's to the last printed digit.
#pragma once

#include "engine/dsp/effect.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rc {

/// Returns: `x` as a sox sample: sox's SOX_FLOAT_32BIT_TO_SAMPLE (x * 2^31 truncated towards
/// zero, clipped to the 32-bit range). Real-time safe, any thread.
[[nodiscard]] std::int32_t to_sox_sample(float x) noexcept;

/// What the input file held, as far as stat's guess at a misread file cares (sox's "Try: ...").
enum class SampleEncoding {
  other,            ///< Signed PCM or float (or anything else).
  unsigned_integer, ///< Unsigned PCM (8-bit WAV).
  mu_law,           ///< G.711 mu-law.
};

/// stat's options (sox: stat [-s N] [-rms] [-v]).
struct StatOptions {
  double scale = 2147483647.0; ///< -s N: samples are divided by N (default sox's largest sample).
  bool rms = false;            ///< -rms: figures in units of the RMS amplitude.
  bool volume_only = false;    ///< -v: print only the volume adjustment.
};

/// stat's figures, as sox's stat prints them (its units: a sample divided by the scale).
struct StatFigures {
  StatOptions options;                          ///< As given.
  std::uint64_t samples = 0;                    ///< "Samples read": every channel's samples.
  double seconds = 0;                           ///< "Length (seconds)".
  double scale = 0;                             ///< "Scaled by" (-rms: the scale times the RMS).
  double rms_scale = 0;                         ///< "Scaled by rms" (-rms only).
  double maximum = 0, minimum = 0, midline = 0; ///< Amplitudes.
  double mean_norm = 0, mean = 0, rms = 0;      ///< Mean |x|, mean x, RMS.
  double maximum_delta = 0, minimum_delta = 0;  ///< Between successive samples.
  double mean_delta = 0, rms_delta = 0;         ///< Over samples - 1.
  int rough_frequency = 0;                      ///< sqrt(RMS delta^2 / RMS^2) rate / 2 pi.
  std::optional<double> volume_adjustment;      ///< Full scale / peak; none in silence.
  std::array<std::uint64_t, 4> quarters{};      ///< Samples per quarter of the range.
};

/// stat [-s N] [-rms] [-v]: sox's stat. All channels are one stream of samples (the delta is
/// from the previous sample, whatever its channel), as in sox.
class StatEffect final : public Effect {
public:
  /// Effects: keeps `options`; `description` is the effect as typed.
  StatEffect(std::string description, StatOptions options);
  std::string description() const override { return description_; }
  /// Effects: notes the rate and channels for the length and the rough frequency.
  AudioFormat configure(const AudioFormat& input) override;
  /// Worker thread, real-time safe. Effects: measures `block`. Returns: `block`, unchanged.
  AudioBlock process(AudioBlock block) noexcept override;
  /// Returns: true: its samples are its input's (Effect::keeps_precision).
  bool keeps_precision() const noexcept override { return true; }
  void reset() noexcept override;
  /// Files only: a live chain would measure but nothing would print the figures.
  bool offline_only() const noexcept override { return true; }
  /// Any thread once the run has ended. Returns: the figures of what process() saw.
  [[nodiscard]] StatFigures figures() const;

private:
  std::string description_;
  StatOptions options_;
  double rate_ = 0;
  int channels_ = 1;
  std::uint64_t read_ = 0;
  double min_ = 0, max_ = 0, mid_ = 0, asum_ = 0, sum1_ = 0, sum2_ = 0;
  double dmin_ = 0, dmax_ = 0, dsum1_ = 0, dsum2_ = 0, last_ = 0;
  std::array<std::uint64_t, 4> bins_{};
};

/// Returns: sox's text for `figures` (lines ending in '\n'), as sox 14.4.2's stat prints it to
/// stderr; `encoding`: the input file's, for sox's guess at a misread file. Any thread.
[[nodiscard]] std::string stat_text(const StatFigures& figures, SampleEncoding encoding);

/// stats' options (sox: stats [-b BITS|-x BITS|-s SCALE] [-w WINDOW]).
struct StatsOptions {
  int scale_bits = 0;   ///< -b BITS (2-32): levels as integers of that many bits; 0: off.
  bool hex = false;     ///< -x BITS: the same in hexadecimal.
  double scale = 1;     ///< -s SCALE (-99 to 99): levels times SCALE.
  double window = 0.05; ///< -w WINDOW (0.01 to 10 s): the RMS window's time constant.
};

/// stats' figures for one channel, or for all together. Levels are linear (full scale 1),
/// before -b, -x or -s; dB figures as sox computes them (-inf for silence).
struct StatsColumn {
  double dc_offset = 0;                ///< Mean; Overall: the channel's mean furthest from 0.
  double min_level = 0, max_level = 0; ///< Lowest and highest sample.
  double peak_db = 0;                  ///< Pk lev dB.
  double rms_db = 0;                   ///< RMS lev dB.
  double rms_peak_db = 0;              ///< RMS Pk dB: the highest windowed RMS.
  std::optional<double> rms_trough_db; ///< RMS Tr dB: the lowest (sox prints "-" at exactly 1).
  std::optional<double> crest_factor;  ///< Peak / RMS; Overall of several channels: none ("-").
  double flat_factor = 0;              ///< dB: sum of squared run lengths at the peaks / count.
  double peak_count = 0;               ///< Samples at the min or max level (Overall: per channel).
  int bit_depth = 0;                   ///< Bits the levels span (the x of x/y).
  int bit_depth_used = 0;              ///< Bits down to the lowest one set (the y of x/y).
};

/// stats' figures: Overall, and a column per channel when there are several.
struct StatsFigures {
  StatsOptions options;              ///< As given.
  StatsColumn overall;               ///< All channels.
  std::vector<StatsColumn> channels; ///< Per channel, when more than one.
  std::uint64_t samples = 0;         ///< Num samples: per channel.
  double seconds = 0;                ///< Length s.
};

/// stats [-b BITS|-x BITS|-s SCALE] [-w WINDOW]: sox's stats, each channel measured on its own.
class StatsEffect final : public Effect {
public:
  /// Effects: keeps `options`; `description` is the effect as typed.
  StatsEffect(std::string description, StatsOptions options);
  std::string description() const override { return description_; }
  /// Effects: allocates a state per channel; the window in samples follows the rate.
  AudioFormat configure(const AudioFormat& input) override;
  /// Worker thread, real-time safe. Effects: measures `block`. Returns: `block`, unchanged.
  AudioBlock process(AudioBlock block) noexcept override;
  /// Returns: true: its samples are its input's (Effect::keeps_precision).
  bool keeps_precision() const noexcept override { return true; }
  void reset() noexcept override;
  /// Files only: a live chain would measure but nothing would print the figures.
  bool offline_only() const noexcept override { return true; }
  /// Any thread once the run has ended. Returns: the figures, or none when no audio came.
  [[nodiscard]] std::optional<StatsFigures> figures() const;

private:
  struct Channel {
    double last = 0, sigma_x = 0, sigma_x2 = 0, avg_sigma_x2 = 0, min_sigma_x2 = 2,
           max_sigma_x2 = 0;
    double min = 2, max = -2, min_run = 0, min_runs = 0, max_run = 0, max_runs = 0;
    std::int64_t samples = 0, min_count = 0, max_count = 0;
    std::uint32_t mask = 0;
  };
  std::string description_;
  StatsOptions options_;
  double rate_ = 0;
  double mult_ = 0;                 // the RMS window's decay per sample
  std::int64_t window_samples_ = 0; // samples before the windowed RMS counts (5 time constants)
  std::vector<Channel> channels_;
};

/// Returns: sox's text for `figures` (lines ending in '\n'), as sox 14.4.2's stats prints it to
/// stderr. Any thread.
[[nodiscard]] std::string stats_text(const StatsFigures& figures);

/// Returns: `number` as sox's lsx_sigfigs3 writes it: three significant figures with a k, M, G...
/// suffix ("136k", "96.0k", "2", "67.7"). Any thread.
[[nodiscard]] std::string sox_sigfigs3(double number);

} // namespace rc
