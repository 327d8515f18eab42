// engine/dsp/biquad.cpp - see biquad.hpp. Formulas: Robert Bristow-Johnson's Audio EQ Cookbook,
// with sox's width conventions (its biquads.c is the reference users compare against).
#include "engine/dsp/biquad.hpp"

#include "engine/util/text.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <stdexcept>

namespace rc {

namespace {

double alpha_for(Width width, double w0, double frequency, double A, double rate) {
  const double s = std::sin(w0);
  switch (width.unit) {
  case WidthUnit::old_hz:
    return std::tan(std::numbers::pi * width.value / rate);
  case WidthUnit::q:
    return s / (2 * width.value);
  case WidthUnit::octaves:
    return s * std::sinh(std::log(2.0) / 2 * width.value * w0 / s);
  case WidthUnit::hz:
    return s / (2 * frequency / width.value);
  case WidthUnit::khz:
    return s / (2 * frequency / (width.value * 1000));
  case WidthUnit::slope:
    return s / 2 * std::sqrt((A + 1 / A) * (1 / width.value - 1) + 2);
  }
  return 0;
}

/// Returns: the polynomial 1 - (r0 + r1) z^-1 + r0 r1 z^-2 of two roots (sox's
/// make_poly_from_roots for two).
std::array<double, 3> from_roots(double r0, double r1) { return {1.0, -(r0 + r1), r0 * r1}; }

/// The riaa filter's zeros and poles at the rates sox knows (its biquads.c).
struct RiaaRoots {
  double rate;
  double zeros[2];
  double poles[2];
};
constexpr RiaaRoots riaa_roots[] = {
    {44100, {-0.2014898, 0.9233820}, {0.7083149, 0.9924091}},
    {48000, {-0.1766069, 0.9321590}, {0.7396325, 0.9931330}},
    {88200, {-0.1168735, 0.9648312}, {0.8590646, 0.9964002}},
    {96000, {-0.1141486, 0.9676817}, {0.8699137, 0.9966946}},
};

/// Returns: the coefficients (b0 b1 b2 a0 a1 a2) of riaa at `rate`, 0 dB at 1 kHz.
/// Throws: std::invalid_argument at another rate.
std::array<double, 6> riaa_coefficients(double rate) {
  for (const RiaaRoots& r : riaa_roots) {
    if (r.rate != rate) continue;
    const auto b = from_roots(r.zeros[0], r.zeros[1]);
    const auto a = from_roots(r.poles[0], r.poles[1]);
    // Normalised to 0 dB at 1 kHz, as sox does.
    const double y = 2 * std::numbers::pi * 1000 / rate;
    const double b_re = b[0] + b[1] * std::cos(-y) + b[2] * std::cos(-2 * y);
    const double a_re = a[0] + a[1] * std::cos(-y) + a[2] * std::cos(-2 * y);
    const double b_im = b[1] * std::sin(-y) + b[2] * std::sin(-2 * y);
    const double a_im = a[1] * std::sin(-y) + a[2] * std::sin(-2 * y);
    const double g = 1 / std::sqrt((b_re * b_re + b_im * b_im) / (a_re * a_re + a_im * a_im));
    return {b[0] * g, b[1] * g, b[2] * g, a[0], a[1], a[2]};
  }
  throw std::invalid_argument("works at 44100, 48000, 88200 or 96000 Hz only, not " +
                              shortest(rate) + " Hz");
}

/// Returns: the coefficients of sox's band (its band.h): a resonator of bandwidth `width`
/// (Hz, octaves or Q; value 0: half the centre frequency) at `frequency`; `noise`: gain for
/// unpitched audio (band -n).
std::array<double, 6> band_coefficients(double frequency, Width width, double rate, bool noise) {
  double bw = frequency / 2;
  if (width.value > 0) {
    switch (width.unit) {
    case WidthUnit::q:
      bw = frequency / width.value;
      break;
    case WidthUnit::octaves:
      bw = frequency * (std::pow(2.0, width.value) - 1) * std::pow(2.0, -0.5 * width.value);
      break;
    case WidthUnit::khz:
      bw = width.value * 1000;
      break;
    default:
      bw = width.value;
    }
  }
  const double a2 = std::exp(-2 * std::numbers::pi * bw / rate);
  const double a1 = -4 * a2 / (1 + a2) * std::cos(2 * std::numbers::pi * frequency / rate);
  double b0 = std::sqrt(1 - a1 * a1 / (4 * a2)) * (1 - a2);
  if (noise) b0 *= std::sqrt(((1 + a2) * (1 + a2) - a1 * a1) * (1 - a2) / (1 + a2)) / b0;
  return {b0, 0, 0, 1, a1, a2};
}

/// Returns: `c` divided by its a0, once checked stable (both poles inside the unit circle:
/// |a2| < 1 and |a1| < 1 + a2) and finite. Throws: std::invalid_argument with `what` otherwise.
BiquadCoefficients normalised(const std::array<double, 6>& c, const std::string& what) {
  const BiquadCoefficients n{c[0] / c[3], c[1] / c[3], c[2] / c[3], c[4] / c[3], c[5] / c[3]};
  const bool finite = std::isfinite(n.b0) && std::isfinite(n.b1) && std::isfinite(n.b2) &&
                      std::isfinite(n.a1) && std::isfinite(n.a2);
  if (!finite || !(std::fabs(n.a2) < 1) || !(std::fabs(n.a1) < 1 + n.a2))
    throw std::invalid_argument(what + " give an unstable filter");
  return n;
}

} // namespace

BiquadCoefficients design_biquad(BiquadShape shape, double frequency, Width width, double gain_db,
                                 double rate) {
  const double w0 = 2 * std::numbers::pi * frequency / rate;
  if (!(w0 < std::numbers::pi))
    throw std::invalid_argument("frequency " + shortest(frequency) + " Hz" +
                                " is not below half the sample rate (" + shortest(rate / 2) +
                                " Hz" + ")");
  if (shape == BiquadShape::deemph) {
    // sox's deemph: a high shelf of fixed parameters, for CD (44.1 kHz) and DAT (48 kHz).
    if (rate == 44100)
      return design_biquad(BiquadShape::treble, 5283, {0.4845, WidthUnit::slope}, -9.477, rate);
    if (rate == 48000)
      return design_biquad(BiquadShape::treble, 5356, {0.479, WidthUnit::slope}, -9.62, rate);
    throw std::invalid_argument("works at 44100 or 48000 Hz only, not " + shortest(rate) + " Hz");
  }
  if (shape == BiquadShape::riaa) return normalised(riaa_coefficients(rate), "the coefficients");
  if (shape == BiquadShape::band || shape == BiquadShape::band_noise)
    return normalised(band_coefficients(frequency, width, rate, shape == BiquadShape::band_noise),
                      "frequency " + shortest(frequency) + " Hz and width " +
                          shortest(width.value) + " at " + shortest(rate) + " Hz");
  const double A = std::exp(gain_db / 40 * std::log(10.0));
  const double alpha = alpha_for(width, w0, frequency, A, rate);
  const double cw = std::cos(w0);
  double b0 = 1, b1 = 0, b2 = 0, a0 = 1, a1 = 0, a2 = 0;
  switch (shape) {
  case BiquadShape::lowpass:
    b0 = (1 - cw) / 2, b1 = 1 - cw, b2 = (1 - cw) / 2;
    a0 = 1 + alpha, a1 = -2 * cw, a2 = 1 - alpha;
    break;
  case BiquadShape::highpass:
    b0 = (1 + cw) / 2, b1 = -(1 + cw), b2 = (1 + cw) / 2;
    a0 = 1 + alpha, a1 = -2 * cw, a2 = 1 - alpha;
    break;
  case BiquadShape::lowpass1:
    a1 = -std::exp(-w0), b0 = 1 + a1;
    break;
  case BiquadShape::highpass1:
    a1 = -std::exp(-w0), b0 = (1 - a1) / 2, b1 = -b0;
    break;
  case BiquadShape::equalizer:
    b0 = 1 + alpha * A, b1 = -2 * cw, b2 = 1 - alpha * A;
    a0 = 1 + alpha / A, a1 = -2 * cw, a2 = 1 - alpha / A;
    break;
  case BiquadShape::bass: {
    const double r = 2 * std::sqrt(A) * alpha;
    b0 = A * ((A + 1) - (A - 1) * cw + r), b1 = 2 * A * ((A - 1) - (A + 1) * cw);
    b2 = A * ((A + 1) - (A - 1) * cw - r);
    a0 = (A + 1) + (A - 1) * cw + r, a1 = -2 * ((A - 1) + (A + 1) * cw);
    a2 = (A + 1) + (A - 1) * cw - r;
    break;
  }
  case BiquadShape::treble: {
    const double r = 2 * std::sqrt(A) * alpha;
    b0 = A * ((A + 1) + (A - 1) * cw + r), b1 = -2 * A * ((A - 1) + (A + 1) * cw);
    b2 = A * ((A + 1) + (A - 1) * cw - r);
    a0 = (A + 1) - (A - 1) * cw + r, a1 = 2 * ((A - 1) - (A + 1) * cw);
    a2 = (A + 1) - (A - 1) * cw - r;
    break;
  }
  case BiquadShape::bandpass_skirt:
    b0 = std::sin(w0) / 2, b2 = -std::sin(w0) / 2;
    a0 = 1 + alpha, a1 = -2 * cw, a2 = 1 - alpha;
    break;
  case BiquadShape::bandpass:
    b0 = alpha, b2 = -alpha;
    a0 = 1 + alpha, a1 = -2 * cw, a2 = 1 - alpha;
    break;
  case BiquadShape::bandreject:
    b0 = 1, b1 = -2 * cw, b2 = 1;
    a0 = 1 + alpha, a1 = -2 * cw, a2 = 1 - alpha;
    break;
  case BiquadShape::allpass:
    b0 = 1 - alpha, b1 = -2 * cw, b2 = 1 + alpha;
    a0 = 1 + alpha, a1 = -2 * cw, a2 = 1 - alpha;
    break;
  case BiquadShape::allpass1:
    b0 = std::exp(-w0), b1 = -1, a1 = -std::exp(-w0);
    break;
  case BiquadShape::allpass2:
    b0 = 1 - std::sin(w0), b1 = -2 * cw, b2 = 1 + std::sin(w0);
    a0 = 1 + std::sin(w0), a1 = -2 * cw, a2 = 1 - std::sin(w0);
    break;
  case BiquadShape::band:
  case BiquadShape::band_noise:
  case BiquadShape::deemph:
  case BiquadShape::riaa:
    break; // designed above
  }
  // Extreme widths or frequencies (1e-300 Hz, 1e-9 octaves) round to a pole on the unit circle
  // or to inf/NaN: such a filter would ring forever or write NaN, so it is refused.
  return normalised({b0, b1, b2, a0, a1, a2}, "frequency " + shortest(frequency) +
                                                  " Hz and width " + shortest(width.value) +
                                                  " at " + shortest(rate) + " Hz");
}

BiquadEffect::BiquadEffect(std::string description, BiquadShape shape, double frequency,
                           Width width, double gain_db)
    : description_(std::move(description)), shape_(shape), frequency_(frequency), width_(width),
      gain_db_(gain_db) {}

BiquadEffect::BiquadEffect(std::string description, const std::array<double, 6>& coefficients)
    : description_(std::move(description)), frequency_(0), gain_db_(0) {
  if (coefficients[3] == 0) throw std::invalid_argument(description_ + ": a0 must not be 0");
  try {
    c_ = normalised(coefficients, "the coefficients");
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(description_ + ": " + e.what());
  }
}

double BiquadEffect::headroom_factor() const noexcept {
  if (shape_ == BiquadShape::riaa) return (1 + c_.a1 + c_.a2) / (c_.b0 + c_.b1 + c_.b2);
  return shape_ && shape_ != BiquadShape::deemph ? std::pow(10.0, -std::max(gain_db_, 0.0) / 20)
                                                 : 1.0;
}

AudioFormat BiquadEffect::configure(const AudioFormat& input) {
  try {
    if (shape_) c_ = design_biquad(*shape_, frequency_, width_, gain_db_, input.rate);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(description_ + ": " + e.what());
  }
  state_.assign(static_cast<std::size_t>(input.channels), State{});
  return input;
}

AudioBlock BiquadEffect::process(AudioBlock block) noexcept {
  const auto channels = static_cast<std::size_t>(block.channels);
  const BiquadCoefficients c = c_;
  for (std::size_t ch = 0; ch < channels; ++ch) {
    State s = state_[ch];
    float* p = block.data + ch;
    for (std::size_t i = 0; i < block.frames; ++i, p += channels) {
      const double x = *p;
      const double y = c.b0 * x + c.b1 * s.x1 + c.b2 * s.x2 - c.a1 * s.y1 - c.a2 * s.y2;
      s.x2 = s.x1, s.x1 = x;
      s.y2 = s.y1, s.y1 = y;
      *p = static_cast<float>(y);
    }
    state_[ch] = s;
  }
  count_clips(block);
  return block;
}

namespace {

// Two doubles in one SSE2 register (a GCC/Clang vector extension): left and right lanes.
typedef double Lanes __attribute__((vector_size(16)));

struct StereoSection {
  Lanes b0, b1, b2, a1, a2;
  Lanes x1, x2, y1, y2;
};

constexpr std::size_t max_fused_sections = 16;

// Runs `frames` stereo frames through `count` sections in place. With `count` a compile-time
// constant (Count > 0) the section loop unrolls and the state stays in registers.
template <std::size_t Count>
void run_sections(StereoSection* sections, std::size_t count, float* p,
                  std::size_t frames) noexcept {
  const std::size_t n = Count > 0 ? Count : count;
  for (std::size_t i = 0; i < frames; ++i, p += 2) {
    Lanes x{p[0], p[1]};
    for (std::size_t s = 0; s < n; ++s) {
      StereoSection& q = sections[s];
      // The one-filter loop's formula and order, in double precision.
      const Lanes y = q.b0 * x + q.b1 * q.x1 + q.b2 * q.x2 - q.a1 * q.y1 - q.a2 * q.y2;
      q.x2 = q.x1, q.x1 = x, q.y2 = q.y1, q.y1 = y;
      x = y;
    }
    p[0] = static_cast<float>(x[0]);
    p[1] = static_cast<float>(x[1]);
  }
}

} // namespace

void BiquadEffect::process_cascade(BiquadEffect* const* cascade, std::size_t count,
                                   AudioBlock block) noexcept {
  if (block.channels != 2 || count > max_fused_sections) {
    for (std::size_t s = 0; s < count; ++s) cascade[s]->process(block);
    return;
  }
  StereoSection sections[max_fused_sections];
  for (std::size_t s = 0; s < count; ++s) {
    const BiquadCoefficients& c = cascade[s]->c_;
    const State& l = cascade[s]->state_[0];
    const State& r = cascade[s]->state_[1];
    sections[s] = {Lanes{c.b0, c.b0}, Lanes{c.b1, c.b1}, Lanes{c.b2, c.b2},
                   Lanes{c.a1, c.a1}, Lanes{c.a2, c.a2}, Lanes{l.x1, r.x1},
                   Lanes{l.x2, r.x2}, Lanes{l.y1, r.y1}, Lanes{l.y2, r.y2}};
  }
  switch (count) {
  case 2:
    run_sections<2>(sections, count, block.data, block.frames);
    break;
  case 3:
    run_sections<3>(sections, count, block.data, block.frames);
    break;
  case 4:
    run_sections<4>(sections, count, block.data, block.frames);
    break;
  default:
    run_sections<0>(sections, count, block.data, block.frames);
    break;
  }
  for (std::size_t s = 0; s < count; ++s) {
    const StereoSection& q = sections[s];
    cascade[s]->state_[0] = {q.x1[0], q.x2[0], q.y1[0], q.y2[0]};
    cascade[s]->state_[1] = {q.x1[1], q.x2[1], q.y1[1], q.y2[1]};
  }
  // Between fused sections the signal stays in double: values past full scale there are carried,
  // not clipped, so clipping is counted once, after the run, against its last filter.
  cascade[count - 1]->count_clips(block);
}

void BiquadEffect::reset() noexcept {
  for (State& s : state_) s = State{};
}

} // namespace rc
