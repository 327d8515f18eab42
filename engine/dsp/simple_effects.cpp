// engine/dsp/simple_effects.cpp - see simple_effects.hpp.
#include "engine/dsp/simple_effects.hpp"

#include "engine/util/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <stdexcept>
#include <utility>

namespace rc {

// ---------------------------------------------------------------- tremolo

TremoloEffect::TremoloEffect(std::string description, double speed_hz, double depth_percent)
    : description_(std::move(description)), speed_(speed_hz) {
  // sox hands synth the offset as text printed with %g (six significant digits), which synth
  // reads back and divides by 100: the same rounding here.
  char text[64];
  std::snprintf(text, sizeof text, "%g", 100 - depth_percent / 2);
  offset_ = std::strtod(text, nullptr) / 100;
}

AudioFormat TremoloEffect::configure(const AudioFormat& input) {
  rate_ = input.rate;
  // sox's tremolo is its synth "sine fmod SPEED OFFSET 25": the same generator here.
  modulator_.configure(speed_, rate_, offset_);
  return input;
}

namespace {

// Effects: x[i * stride + c] = float(double(x[i * stride + c]) * m[i]), i < frames, c < stride;
// the stride a constant where the compiler can use it (mono, stereo).
template <std::size_t Stride>
void multiply_frames(float* x, const double* m, std::size_t frames) noexcept {
  for (std::size_t i = 0; i < frames; ++i)
    for (std::size_t c = 0; c < Stride; ++c)
      x[i * Stride + c] = static_cast<float>(double(x[i * Stride + c]) * m[i]);
}

} // namespace

AudioBlock TremoloEffect::process(AudioBlock block) noexcept {
  const auto stride = static_cast<std::size_t>(block.channels);
  for (std::size_t done = 0; done < block.frames;) {
    const std::size_t n = std::min(scratch_frames, block.frames - done);
    modulator_.fill(scratch_, n, gain_);
    float* x = block.data + done * stride;
    if (stride == 1) {
      multiply_frames<1>(x, scratch_, n);
    } else if (stride == 2) {
      multiply_frames<2>(x, scratch_, n);
    } else {
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t c = 0; c < stride; ++c)
          x[i * stride + c] = static_cast<float>(double(x[i * stride + c]) * scratch_[i]);
    }
    done += n;
  }
  count_clips(block);
  return block;
}

void TremoloModulator::configure(double speed_hz, double rate, double offset) noexcept {
  speed_ = speed_hz, rate_ = rate, offset_ = offset;
  scale_ = 1 - std::fabs(offset); // SynthChannel::value's
  // One frame's turn, in cycles reduced to [0, 1) first so that a large SPEED keeps its digits.
  const double turn = 2 * std::numbers::pi * std::fmod(speed_hz / rate, 1.0);
  step_cos_ = std::cos(turn), step_sin_ = std::sin(turn);
  reset();
}

void TremoloModulator::seed() noexcept {
  // SynthChannel::value's phase for a sine without a sweep (its mult is 0, so
  // (freq + n mult) n / rate is freq n / rate, left to right), phase 0.25, then fmod 1.
  const double dn = double(position_);
  const double ph = std::fmod(speed_ * dn / rate_ + 0.25, 1.0);
  sin_ = std::sin(2 * std::numbers::pi * ph); // exactly sox's value at a seed
  cos_ = std::cos(2 * std::numbers::pi * ph);
  until_seed_ = reseed_interval;
}

void TremoloModulator::fill(double* out, std::size_t frames, double gain) noexcept {
  for (std::size_t i = 0; i < frames;) {
    if (until_seed_ == 0) seed();
    // Up to the next seed: rotate (cos, sin) by one frame's turn per frame.
    const std::size_t run = static_cast<std::size_t>(
        std::min<std::uint64_t>(until_seed_, static_cast<std::uint64_t>(frames - i)));
    double c = cos_, s = sin_;
    const double sc = step_cos_, ss = step_sin_, scale = scale_, offset = offset_;
    for (std::size_t k = 0; k < run; ++k) {
      out[i + k] = (s * scale + offset) * gain;
      const double next_c = c * sc - s * ss;
      s = c * ss + s * sc;
      c = next_c;
    }
    cos_ = c, sin_ = s;
    i += run;
    until_seed_ -= run;
    position_ += run;
  }
}

// ---------------------------------------------------------------- gain

double sox_limiter_constant(double fixed_gain) noexcept {
  // sox: (1 - 1 / gain) / SOX_SAMPLE_MAX on its integer scale, here on floats (x 2^31).
  return (1 - 1 / fixed_gain) * 2147483648.0 / 2147483647.0;
}

float sox_limited(float x, double factor, double limiter) noexcept {
  if (x == 0.0f) return 0.0f;
  return static_cast<float>(1 / (1 / (double(x) * factor) + (x < 0 ? -limiter : limiter)));
}

GainEffect::GainEffect(double db) : GainEffect("gain " + shortest(db), db, false, false) {}

GainEffect::GainEffect(std::string description, double db, bool limiter, bool headroom)
    : description_(std::move(description)), gain_(std::pow(10.0, db / 20)),
      factor_(static_cast<float>(gain_)), limiter_(limiter ? sox_limiter_constant(gain_) : 0),
      headroom_(headroom) {}

std::string GainEffect::description() const { return description_; }

void GainEffect::lower_gain(double factor) noexcept {
  gain_ *= factor;
  factor_ = static_cast<float>(gain_);
}

AudioBlock GainEffect::process(AudioBlock block) noexcept {
  if (limiter_ != 0) {
    for (std::size_t i = 0; i < block.samples(); ++i)
      block.data[i] = sox_limited(block.data[i], gain_, limiter_);
  } else {
    const float f = factor_;
    for (std::size_t i = 0; i < block.samples(); ++i) block.data[i] *= f;
  }
  count_clips(block);
  return block;
}

// ---------------------------------------------------------------- vol

VolEffect::VolEffect(std::string description, double factor, double limiter_gain)
    : description_(std::move(description)), factor_(factor) {
  if (limiter_gain > 0)
    limiter_ = SoxLimiter{limiter_gain, (1.0 - limiter_gain) / (std::fabs(factor) - limiter_gain)};
}

AudioBlock VolEffect::process(AudioBlock block) noexcept {
  if (!limiter_) {
    const auto f = static_cast<float>(factor_);
    for (std::size_t i = 0; i < block.samples(); ++i) block.data[i] *= f;
  } else {
    const double t = limiter_->threshold, l = limiter_->gain;
    for (std::size_t i = 0; i < block.samples(); ++i) {
      const double x = block.data[i];
      double y = factor_ * x;
      if (x > t)
        y = 1.0 - l * (1.0 - x), ++limited_;
      else if (x < -t)
        y = -(1.0 - l * (1.0 + x)), ++limited_;
      block.data[i] = static_cast<float>(y);
    }
  }
  count_clips(block);
  return block;
}

// ---------------------------------------------------------------- dcshift

DcShiftEffect::DcShiftEffect(std::string description, double shift, double limiter_gain)
    : description_(std::move(description)), shift_(shift) {
  // At a threshold of full scale or more no sample of sox's (integer) range is beyond it: no
  // limiter, rather than one dividing by 1 - t <= 0 for float samples beyond full scale.
  if (const double t = 1.0 - (std::fabs(shift) - limiter_gain); limiter_gain > 0 && t < 1.0)
    limiter_ = SoxLimiter{limiter_gain, t};
}

AudioBlock DcShiftEffect::process(AudioBlock block) noexcept {
  if (!limiter_) {
    const auto d = static_cast<float>(shift_);
    for (std::size_t i = 0; i < block.samples(); ++i) block.data[i] += d;
  } else {
    // sox's formula mixes units: (x - t) L / (1 - t) and the shift are added in its integer
    // units, where they are 2^31 times smaller than meant, so a limited sample lands on the
    // threshold itself. Computed here as sox computes it, since that is what sox users get.
    const double t = limiter_->threshold, l = limiter_->gain;
    constexpr double integer_unit = 1.0 / 2147483648.0;
    for (std::size_t i = 0; i < block.samples(); ++i) {
      const double x = block.data[i];
      double y = x + shift_;
      if (x > t && shift_ > 0)
        y = t + ((x - t) * l / (1.0 - t) + shift_) * integer_unit, ++limited_;
      else if (x < -t && shift_ < 0)
        y = -t + ((x + t) * l / (1.0 - t) + shift_) * integer_unit, ++limited_;
      block.data[i] = static_cast<float>(y);
    }
  }
  count_clips(block);
  return block;
}

// ---------------------------------------------------------------- contrast

AudioBlock ContrastEffect::process(AudioBlock block) noexcept {
  for (std::size_t i = 0; i < block.samples(); ++i) {
    const double d = block.data[i] * (std::numbers::pi / 2);
    block.data[i] = static_cast<float>(std::sin(d + amount_ * std::sin(d * 4)));
  }
  return block;
}

// ---------------------------------------------------------------- overdrive

OverdriveEffect::OverdriveEffect(std::string description, double gain_db, double colour)
    : description_(std::move(description)), gain_(std::pow(10.0, gain_db / 20)),
      colour_(colour / 200) {}

AudioFormat OverdriveEffect::configure(const AudioFormat& input) {
  state_.assign(static_cast<std::size_t>(input.channels), State{});
  return input;
}

void OverdriveEffect::reset() noexcept {
  for (State& s : state_) s = State{};
}

AudioBlock OverdriveEffect::process(AudioBlock block) noexcept {
  if (gain_ == 1) return block; // sox leaves overdrive out at 0 dB, whatever the colour
  const auto channels = static_cast<std::size_t>(block.channels);
  for (std::size_t ch = 0; ch < channels; ++ch) {
    State s = state_[ch];
    for (std::size_t i = 0; i < block.frames; ++i) {
      float& sample = block.data[i * channels + ch];
      const double dry = sample;
      double d = dry * gain_ + colour_;
      d = d < -1 ? -2.0 / 3 : d > 1 ? 2.0 / 3 : d - d * d * d * (1.0 / 3);
      s.last_out = d - s.last_in + 0.995 * s.last_out; // DC blocker
      s.last_in = d;
      sample = static_cast<float>(dry * 0.5 + s.last_out * 0.75);
    }
    state_[ch] = s;
  }
  count_clips(block);
  return block;
}

// ---------------------------------------------------------------- limit

LimitEffect::LimitEffect(double threshold_db, double release_ms)
    : threshold_db_(threshold_db), release_ms_(release_ms),
      threshold_(static_cast<float>(std::pow(10.0, threshold_db / 20))) {}

std::string LimitEffect::description() const {
  return "limit " + shortest(threshold_db_) + " " + shortest(release_ms_);
}

AudioFormat LimitEffect::configure(const AudioFormat& input) {
  // One time constant of release: the gap to unity gain shrinks by 1/e.
  release_coefficient_ = 1.0 - std::exp(-1.0 / (release_ms_ * 1e-3 * input.rate));
  return input;
}

AudioBlock LimitEffect::process(AudioBlock block) noexcept {
  const auto channels = static_cast<std::size_t>(block.channels);
  const float t = threshold_;
  for (std::size_t i = 0; i < block.frames; ++i) {
    float* frame = block.data + i * channels;
    float peak = 0;
    for (std::size_t c = 0; c < channels; ++c) peak = std::max(peak, std::fabs(frame[c]));
    const double needed = peak > t ? double(t) / double(peak) : 1.0;
    gain_ += (1.0 - gain_) * release_coefficient_;
    if (needed < gain_) gain_ = needed;
    const auto g = static_cast<float>(gain_);
    // The clamp absorbs float rounding so "never exceeds" holds to the last bit.
    for (std::size_t c = 0; c < channels; ++c) frame[c] = std::clamp(frame[c] * g, -t, t);
  }
  return block;
}

// ---------------------------------------------------------------- fade

std::uint64_t TimeSpec::frames_at(double rate) const {
  return static_cast<std::uint64_t>(std::llround(samples ? value : value * rate));
}

FadeEffect::FadeEffect(std::string description, FadeShape shape, TimeSpec in,
                       std::optional<TimeSpec> stop, std::optional<TimeSpec> out, bool stop_at_end)
    : description_(std::move(description)), shape_(shape), in_spec_(in), stop_spec_(stop),
      out_spec_(out), stop_at_end_(stop_at_end) {}

AudioFormat FadeEffect::configure(const AudioFormat& input) {
  in_ = in_spec_.frames_at(input.rate);
  out_ = (out_spec_ ? *out_spec_ : in_spec_).frames_at(input.rate);
  if (stop_at_end_) {
    if (!length_) throw std::invalid_argument(description_ + ": the input length is unknown");
    stop_ = *length_;
  } else if (stop_spec_) {
    stop_ = stop_spec_->frames_at(input.rate);
  }
  if (stop_ && out_ > *stop_)
    throw std::invalid_argument(description_ + ": the fade-out is longer than the audio before " +
                                "its stop position");
  return input;
}

float FadeEffect::gain_at(std::uint64_t frame) const noexcept {
  double g = 1.0;
  auto curve = [this](double t) {
    switch (shape_) {
    case FadeShape::quarter_sine:
      return std::sin(t * std::numbers::pi / 2);
    case FadeShape::half_sine:
      return (1 - std::cos(t * std::numbers::pi)) / 2;
    case FadeShape::linear:
      return t;
    case FadeShape::logarithmic:
      return std::pow(0.1, (1 - t) * 5); // -100 dB .. 0 dB
    case FadeShape::parabola:
      return 1 - (1 - t) * (1 - t);
    }
    return t;
  };
  if (frame < in_) g *= curve(double(frame) / double(in_));
  if (stop_ && out_ > 0 && frame + out_ >= *stop_)
    g *= curve(double(*stop_ - frame) / double(out_));
  return static_cast<float>(g);
}

AudioBlock FadeEffect::process(AudioBlock block) noexcept {
  const auto channels = static_cast<std::size_t>(block.channels);
  if (stop_) { // cut the audio at the stop position
    const std::uint64_t left = *stop_ > position_ ? *stop_ - position_ : 0;
    if (block.frames > left) block.frames = static_cast<std::size_t>(left);
  }
  for (std::size_t i = 0; i < block.frames; ++i) {
    const std::uint64_t frame = position_ + i;
    const bool fading = frame < in_ || (stop_ && frame + out_ >= *stop_);
    if (!fading) continue;
    const float g = gain_at(frame);
    for (std::size_t c = 0; c < channels; ++c) block.data[i * channels + c] *= g;
  }
  position_ += block.frames;
  return block;
}

// ---------------------------------------------------------------- dither

double DitherEffect::headroom_factor() const noexcept {
  if (!active_) return 1.0;
  const double q = std::ldexp(1.0, 31 - target_);
  return (2147483647.0 - 3 * q) / (2147483647.0 - q);
}

DitherEffect::DitherEffect(int bits, bool automatic)
    : bits_(bits), automatic_(automatic), target_(bits) {}

std::string DitherEffect::description() const {
  return "dither" + (target_ > 0 && target_ <= 24 ? " " + std::to_string(target_) : std::string()) +
         (automatic_ ? " (automatic)" : "");
}

AudioFormat DitherEffect::configure(const AudioFormat& input) {
  // sox's start(): the output's precision unless -p; no effect unless the samples reaching it are
  // deeper than that and it is at most 24 bits. A float output is 25 bits to sox (a 32-bit
  // integer 32): above 24 either way.
  target_ = bits_ > 0 ? bits_ : output_bits_ > 0 ? output_bits_ : 25;
  active_ = input_precision_ > target_ && target_ <= 24;
  lsb_ = active_ ? static_cast<float>(std::ldexp(1.0, -(target_ - 1))) : 0.0f;
  return input;
}

float DitherEffect::next_uniform() noexcept {
  // xorshift64*: fast, deterministic, statistically fine for dither.
  state_ ^= state_ >> 12, state_ ^= state_ << 25, state_ ^= state_ >> 27;
  return static_cast<float>((state_ * 2685821657736338717ull) >> 40) * (1.0f / 16777216.0f);
}

AudioBlock DitherEffect::process(AudioBlock block) noexcept {
  if (!active_) return block;
  for (std::size_t i = 0; i < block.samples(); ++i)
    block.data[i] += (next_uniform() - next_uniform()) * lsb_;
  count_clips(block);
  return block;
}

} // namespace rc
