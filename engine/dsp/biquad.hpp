// engine/dsp/biquad.hpp - RBJ-cookbook biquad filters as sox defines them.
#pragma once

#include "engine/dsp/effect.hpp"

#include <array>
#include <optional>
#include <vector>

namespace rc {

/// How a filter width is given, as sox's suffixes: 0.707q, 1o, 100h, 0.1k, 0.5s, and 100b (the
/// bandwidth in Hz of sox's old bandpass and bandreject, alpha = tan(pi width / rate)).
enum class WidthUnit { q, octaves, hz, khz, slope, old_hz };

/// A filter width with its unit.
struct Width {
  double value = 0;              ///< The number.
  WidthUnit unit = WidthUnit::q; ///< Its unit.
};

/// The filter shapes ringcorder offers (sox's names in the comments).
enum class BiquadShape {
  lowpass,        ///< lowpass [-2] F [W]: two-pole, default Butterworth q 0.707.
  highpass,       ///< highpass [-2] F [W].
  lowpass1,       ///< lowpass -1 F: one-pole.
  highpass1,      ///< highpass -1 F: one-pole.
  equalizer,      ///< equalizer F W DB: peaking EQ.
  bass,           ///< bass DB [F [W]]: low shelf, default 100 Hz, slope 0.5.
  treble,         ///< treble DB [F [W]]: high shelf, default 3000 Hz, slope 0.5.
  bandpass,       ///< bandpass F W: constant 0 dB peak gain.
  bandpass_skirt, ///< bandpass -c F W: constant skirt gain (peak gain Q).
  bandreject,     ///< bandreject F W: notch.
  allpass,        ///< allpass F W: two-pole all-pass.
  allpass1,       ///< allpass -1 F: sox's experimental one-pole all-pass.
  allpass2,       ///< allpass -2 F: sox's experimental two-pole all-pass.
  band,           ///< band F [W]: sox's resonator for pitched audio; width 0: F / 2 Hz.
  band_noise,     ///< band -n F [W]: the same, for noise (unpitched) audio.
  deemph,         ///< deemph: CD pre-emphasis undone (a high shelf; 44.1 and 48 kHz only).
  riaa,           ///< riaa: vinyl playback equalisation (44.1, 48, 88.2 and 96 kHz only).
};

/// Normalised biquad coefficients (a0 = 1): y = b0 x + b1 x1 + b2 x2 - a1 y1 - a2 y2.
struct BiquadCoefficients {
  double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;
};

/// Returns: the coefficients of `shape` at `frequency` Hz for `rate`, with `width` and `gain_db`
/// where the shape uses them, exactly as sox computes them.
/// Throws: std::invalid_argument if the frequency is not below Nyquist, or if the filter would
/// not be stable (a pole on or outside the unit circle, or coefficients that are not finite).
BiquadCoefficients design_biquad(BiquadShape shape, double frequency, Width width, double gain_db,
                                 double rate);

/// A biquad filter effect on any number of channels, computed in double precision (Direct Form
/// I, as sox does, so results match sox's to far below 1e-5).
class BiquadEffect final : public Effect {
public:
  /// `description`: the effect as typed, for messages and reports.
  BiquadEffect(std::string description, BiquadShape shape, double frequency, Width width,
               double gain_db);
  /// biquad B0 B1 B2 A0 A1 A2: the filter of these coefficients (divided by A0, as sox does),
  /// whatever the rate. Throws: std::invalid_argument when A0 is 0 or the filter is unstable.
  BiquadEffect(std::string description, const std::array<double, 6>& coefficients);

  std::string description() const override { return description_; }
  AudioFormat configure(const AudioFormat& input) override;
  AudioBlock process(AudioBlock block) noexcept override;
  void reset() noexcept override;
  /// Returns: 1 / the boost sox makes headroom for: a positive gain (equalizer, bass, treble),
  /// riaa's gain at DC.
  double headroom_factor() const noexcept override;

  /// Worker thread. Effects: runs `block` through the consecutive biquads `cascade` (configured
  /// for the same input) as if each processed it in turn, but frame by frame through all of
  /// them: on stereo this keeps every section's recursion in flight at once and uses both lanes
  /// of a SIMD register, several times faster than one pass per filter. The signal stays in
  /// double between the filters, so results differ from one-by-one only by float rounding.
  static void process_cascade(BiquadEffect* const* cascade, std::size_t count,
                              AudioBlock block) noexcept;

private:
  struct State {
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  };
  std::string description_;
  std::optional<BiquadShape> shape_; ///< Empty: raw coefficients, c_ from the constructor.

  double frequency_;
  Width width_;
  double gain_db_;
  BiquadCoefficients c_;
  std::vector<State> state_; // one per channel
};

} // namespace rc
