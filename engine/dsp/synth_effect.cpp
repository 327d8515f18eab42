// engine/dsp/synth_effect.cpp - see synth_effect.hpp. The arithmetic follows sox 14.4.2's synth.c
// step by step (same order of operations), so tones agree with sox to rounding.
#include "engine/dsp/synth_effect.hpp"

#include "engine/dsp/sox_position.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <utility>

namespace rc {

void SynthChannel::prepare(std::uint64_t frames, double rate) noexcept {
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
  default:
    break;
  }
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
  running_.assign(static_cast<std::size_t>(input.channels), SynthChannel{});
  reset();
  return input;
}

void SynthEffect::reset() noexcept {
  position_ = 0;
  random_ = SoxRandom{};
  const std::uint64_t frames = options_.length ? length_ : input_frames_;
  for (std::size_t i = 0; i < running_.size(); ++i) {
    running_[i] = options_.channels[i % options_.channels.size()];
    running_[i].prepare(frames, rate_);
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
