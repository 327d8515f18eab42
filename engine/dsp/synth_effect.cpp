// engine/dsp/synth_effect.cpp - see synth_effect.hpp. The arithmetic follows sox 14.4.2's synth.c
// step by step (same order of operations), so tones agree with sox to rounding.
#include "engine/dsp/synth_effect.hpp"

#include "engine/dsp/sox_position.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <utility>

namespace rc {

double note_frequency(double note, std::optional<int> key) noexcept {
  if (!key) return 440 * std::pow(2., note / 12);
  // Just intonation: the scale's steps above the key, in octaves (the upper half mirrors the
  // lower: a fifth is an octave less a fourth, ...).
  static const std::array<double, 13> steps = [] {
    constexpr int num[] = {16, 9, 6, 5, 4, 7}, den[] = {15, 8, 5, 4, 3, 5};
    std::array<double, 13> j{};
    for (int i = 1; i <= 12; ++i)
      j[i] = i <= 6 ? std::log(double(num[i - 1]) / den[i - 1]) / std::log(2.) : 1 - j[12 - i];
    return j;
  }();
  int m = static_cast<int>(std::floor(note));
  note -= m;
  // The key's note at or below m (the same pitch class as the key), and m's step above it.
  const int below = m - (((m - *key) % 12) + 12) % 12;
  m -= below;
  return 440 * std::pow(2., below / 12. + steps[m] + (steps[m + 1] - steps[m]) * note);
}

namespace {

// sox's dB_to_linear, its order of operations.
double db_to_linear(double db) noexcept { return std::exp(db * std::numbers::ln10 * 0.05); }

// pluck's filter coefficients for `freq` Hz, decay P1 (a fraction), at `rate`; the line's
// length is then rate / freq less the low pass's delay, the all pass making up the fraction.
void tune_pluck(PluckString& s, double freq, double p1, double rate) noexcept {
  constexpr double decay_db_per_s = -2;
  const double decay_hz = std::min(912.0, 266 + 106 * std::log(freq));
  double d = db_to_linear(decay_db_per_s / freq);
  d *= d;
  d = (d * std::cos(2 * std::numbers::pi * decay_hz / rate) - 1) / (d - 1);
  s.lp_pole = d - std::sqrt(d * d - 1);
  s.lp_gain = 1 - s.lp_pole;
  s.lp_gain *= std::exp(-2e4 / (.05 + p1) / freq / rate);
  s.hp_pole = std::exp(-2 * std::numbers::pi * 10 / rate);
  s.hp_gain = (1 + s.hp_pole) * .5;
}

// The low pass's delay, samples: what the line's length leaves out of a period.
double pluck_lp_delay(const PluckString& s) noexcept { return s.lp_pole / (s.lp_pole + s.lp_gain); }

} // namespace

std::size_t SynthChannel::pluck_line_length(double rate) const noexcept {
  if (type != SynthType::pluck) return 0;
  PluckString s;
  tune_pluck(s, freq, p1 < 0 ? .4 : p1, rate);
  return static_cast<std::size_t>(rate / freq - pluck_lp_delay(s));
}

void SynthChannel::prepare(std::uint64_t frames, double rate, SoxRandom& random) noexcept {
  switch (type) {
  case SynthType::square:
  case SynthType::triangle:
    if (p1 < 0) p1 = 0.5;
    break;
  case SynthType::trapezium:
    if (p1 < 0) {
      p1 = 0.1, p2 = 0.5, p3 = 0.6;
    } else if (p2 < 0) {
      if (p1 <= 0.5) {
        p2 = (1 - 2 * p1) / 2;
        p3 = p2 + p1;
      } else {
        p2 = p1, p3 = 1;
      }
    } else if (p3 < 0) {
      p3 = 1;
    }
    break;
  case SynthType::exp:
    if (p1 < 0) p1 = 0.5;
    if (p2 < 0) p2 = 0.5;
    break;
  case SynthType::pluck:
    if (p1 < 0) p1 = .4;
    if (p2 < 0) p2 = .2, p3 = .9;
    break;
  default:
    break;
  }
  if (type == SynthType::pluck) prepare_pluck(rate, random);
  const double n = double(frames);
  switch (sweep) {
  case SynthSweep::linear:
    mult = frames ? (freq2 - freq) / n / 2 : 0;
    break;
  case SynthSweep::square:
    mult = frames ? std::sqrt(std::fabs(freq2 - freq)) / n / std::sqrt(3.0) : 0;
    if (freq > freq2) mult = -mult;
    break;
  case SynthSweep::exp:
    mult = frames ? std::log(freq2 / freq) / n * rate : 1;
    freq /= mult;
    break;
  case SynthSweep::exp_cycle:
    mult = frames ? (std::log(freq2) - std::log(freq)) / n : 1;
    break;
  }
  cycle_start = 0, last = 0;
  std::fill(std::begin(c), std::end(c), 0.0);
}

void SynthChannel::prepare_pluck(double rate, SoxRandom& random) noexcept {
  PluckString& s = pluck;
  const std::span<double> line = s.line;
  s = PluckString{};
  s.line = line;
  tune_pluck(s, freq, p1, rate);
  const double exact = rate / freq - pluck_lp_delay(s);
  const double frac = exact - double(line.size());
  s.ap_coef = (1 - frac) / (1 + frac);
  // The excitation: up to two passes of noise (P2's, then P3's at 70 %), each a random walk
  // whose step shrinks as its colour darkens (a colour of 1: white).
  std::fill(line.begin(), line.end(), 0.0);
  double colour_of = p2;
  for (int k = 0; k < 2 && colour_of >= 0; ++k, colour_of = p3) {
    const double colour = std::pow(2., 4 * (colour_of - 1));
    SoxRandom own{static_cast<std::uint32_t>(static_cast<std::int32_t>(colour_of * 100 + .5))};
    SoxRandom& r = phase != 0 ? random : own;
    double d1 = 0, d2 = 0;
    for (double& x : line) {
      do d2 = d1 + r.next_unit() * colour;
      while (std::fabs(d2) > 1);
      x += d2 * (1 - .3 * k);
      d1 = d2 * (colour != 1);
    }
  }
  // Fade from the raw noise into its filtered self along the line, then scale to -1..1.
  double lo = 0, hi = 0;
  for (std::size_t j = 0; j < line.size(); ++j) {
    const double t = double(j) / double(line.size());
    const double d = line[j] * s.lp_gain + s.lp_out * s.lp_pole;
    s.lp_out = d;
    s.ap_out = d * s.ap_coef + s.ap_in - s.ap_out * s.ap_coef;
    s.ap_in = d;
    line[j] = line[j] * (1 - t) + s.ap_out * t;
    lo = std::min(lo, line[j]);
    hi = std::max(hi, line[j]);
  }
  for (double& x : line) x = (2 * x - hi - lo) / (hi - lo);
}

double SynthChannel::value(std::uint64_t n, double rate, SoxRandom& random) noexcept {
  double out = 0;
  // sox's elapsed_time_s is a macro, "samples_done / rate" without parentheses: it multiplies
  // before it divides, and so does this (the rounding matters at a square's edges).
  const double dn = double(n);
  const double elapsed = dn / rate;
  if (type < SynthType::whitenoise) {
    double ph = 0;
    switch (sweep) {
    case SynthSweep::linear:
      ph = (freq + dn * mult) * dn / rate;
      break;
    case SynthSweep::square: {
      const double s = double(n) * mult;
      ph = (freq + (mult > 0 ? 1 : mult < 0 ? -1 : 0) * (s * s)) * dn / rate;
      break;
    }
    case SynthSweep::exp:
      ph = freq * std::exp(mult * dn / rate);
      break;
    case SynthSweep::exp_cycle: {
      const double f = freq * std::exp(double(n) * mult);
      double in_cycle = elapsed - cycle_start;
      if (f * in_cycle >= 1) {
        cycle_start += 1 / f;
        in_cycle = elapsed - cycle_start;
      }
      ph = f * in_cycle;
      break;
    }
    }
    ph = std::fmod(ph + phase, 1.0);
    switch (type) {
    case SynthType::sine:
      out = std::sin(2 * std::numbers::pi * ph);
      break;
    case SynthType::square:
      out = -1 + 2 * (ph < p1);
      break;
    case SynthType::sawtooth:
      out = -1 + 2 * ph;
      break;
    case SynthType::triangle:
      out = ph < p1 ? -1 + 2 * ph / p1 : 1 - 2 * (ph - p1) / (1 - p1);
      break;
    case SynthType::trapezium:
      out = ph < p1 ? -1 + 2 * ph / p1 : ph < p2 ? 1 : ph < p3 ? 1 - 2 * (ph - p2) / (p3 - p2) : -1;
      break;
    case SynthType::exp: {
      const double floor = std::exp(p2 * -200 * std::numbers::ln10 / 20); // sox's dB_to_linear
      out = ph < p1 ? floor * std::exp(ph * std::log(1 / floor) / p1)
                    : floor * std::exp((1 - ph) * std::log(1 / floor) / (1 - p1));
      out = out * 2 - 1;
      break;
    }
    default:
      break;
    }
  } else {
    switch (type) {
    case SynthType::whitenoise:
      out = random.next_unit();
      break;
    case SynthType::tpdfnoise: {
      const double a = random.next_unit();
      out = 0.5 * (a + random.next_unit());
      break;
    }
    case SynthType::pinknoise: { // Paul Kellet's refined method, as sox
      constexpr double k = 0.125 / (65536.0 * 32768.0);
      const double d = random.next();
      c[0] = .99886 * c[0] + d * (.0555179 * k);
      c[1] = .99332 * c[1] + d * (.0750759 * k);
      c[2] = .96900 * c[2] + d * (.1538520 * k);
      c[3] = .86650 * c[3] + d * (.3104856 * k);
      c[4] = .55000 * c[4] + d * (.5329522 * k);
      c[5] = -.7616 * c[5] - d * (.0168980 * k);
      out = c[0] + c[1] + c[2] + c[3] + c[4] + c[5] + c[6] + d * (.5362 * k);
      c[6] = d * (.115926 * k);
      break;
    }
    case SynthType::brownnoise:
      do out = last + random.next_unit() * (1.0 / 16);
      while (std::fabs(out) > 1);
      last = out;
      break;
    case SynthType::pluck: {
      PluckString& s = pluck;
      double d = s.line[s.pos];
      s.hp_out = (d - s.hp_in) * s.hp_gain + s.hp_out * s.hp_pole;
      s.hp_in = d;
      out = std::clamp(s.hp_out, -1.0, 1.0);
      s.lp_out = d = d * s.lp_gain + s.lp_out * s.lp_pole;
      s.ap_out = s.line[s.pos] = (d - s.ap_out) * s.ap_coef + s.ap_in;
      s.ap_in = d;
      s.pos = s.pos + 1 == s.line.size() ? 0 : s.pos + 1;
      break;
    }
    default:
      break;
    }
  }
  return out * (1 - std::fabs(offset)) + offset;
}

SynthEffect::SynthEffect(std::string description, SynthOptions options)
    : description_(std::move(description)), options_(std::move(options)) {}

std::optional<std::uint64_t> SynthEffect::length_at(double rate) const {
  if (!options_.length) return std::nullopt;
  return sox_samples(*options_.length, rate);
}

AudioFormat SynthEffect::configure(const AudioFormat& input) {
  rate_ = input.rate;
  length_ = 0;
  if (options_.length) {
    const auto frames = length_at(rate_);
    if (!frames)
      throw std::invalid_argument("synth: length '" + *options_.length + "' is not a time");
    length_ = *frames;
  }
  const auto channels = static_cast<std::size_t>(input.channels);
  running_.assign(channels, SynthChannel{});
  line_at_.assign(channels + 1, 0);
  for (std::size_t i = 0; i < channels; ++i) {
    const SynthChannel& g = options_.channels[i % options_.channels.size()];
    if (g.type == SynthType::pluck && (rate_ < pluck_min_rate || rate_ > pluck_max_rate))
      throw std::invalid_argument(
          "synth: pluck needs a sample rate of 44100 to 48000 Hz (its filters are tuned for "
          "those); put it at 48 kHz and let -r or rate resample after it");
    line_at_[i + 1] = line_at_[i] + g.pluck_line_length(rate_);
  }
  lines_.assign(line_at_.back(), 0.0);
  reset();
  return input;
}

void SynthEffect::reset() noexcept {
  position_ = 0;
  random_ = SoxRandom{};
  const std::uint64_t frames = options_.length ? length_ : input_frames_;
  for (std::size_t i = 0; i < running_.size(); ++i) {
    running_[i] = options_.channels[i % options_.channels.size()];
    running_[i].pluck.line =
        std::span<double>(lines_).subspan(line_at_[i], line_at_[i + 1] - line_at_[i]);
    running_[i].prepare(frames, rate_, random_);
  }
}

std::uint64_t SynthEffect::output_length(std::uint64_t frames, double rate) const {
  const auto length = length_at(rate);
  return length && *length > 0 ? std::min(frames, *length) : frames;
}

AudioBlock SynthEffect::process(AudioBlock block) noexcept {
  std::size_t frames = block.frames;
  if (length_ > 0)
    frames = static_cast<std::size_t>(
        std::min<std::uint64_t>(frames, length_ - std::min(length_, position_)));
  const auto stride = static_cast<std::size_t>(block.channels);
  // sox works on 32-bit integers: its full scale is 2^31 - 1 on a scale of 2^31.
  constexpr double full = 2147483647.0 / 2147483648.0;
  for (std::size_t i = 0; i < frames; ++i, ++position_) {
    for (std::size_t ch = 0; ch < stride; ++ch) {
      float& x = block.data[i * stride + ch];
      SynthChannel& g = running_[ch];
      double out = g.value(position_, rate_, random_);
      switch (g.combine) {
      case SynthCombine::create:
        out *= full;
        break;
      case SynthCombine::mix:
        out = (out * full + double(x)) * .5;
        break;
      case SynthCombine::amod:
        out = (out + 1) * double(x) * .5;
        break;
      case SynthCombine::fmod:
        out *= double(x);
        break;
      }
      // An exponential sweep between equal frequencies divides 0 by 0, as in sox, whose
      // conversion of that NaN to an integer sample gives its most negative value: -1 here too.
      x = std::isnan(out) ? -1.0f : static_cast<float>(out * gain_);
    }
  }
  AudioBlock out{block.data, frames, block.channels};
  count_clips(out);
  return out;
}

} // namespace rc
