// engine/dsp/offline_effects.cpp - see offline_effects.hpp.
#include "engine/dsp/offline_effects.hpp"

#include "engine/util/text.hpp"

#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <utility>

namespace rc {

// ---------------------------------------------------------------- gain with a scan (norm)

namespace {

// sox's sample scale: a float x is the integer x * 2^31, clipped to [sox_min, sox_max].
constexpr double sox_max = 2147483647.0;
constexpr double sox_one = 2147483648.0;

} // namespace

MeasuredGainEffect::MeasuredGainEffect(std::string description, MeasuredGainOptions options)
    : description_(std::move(description)), options_(options),
      fixed_(std::pow(10.0, options.gain_db / 20)) {
  if (options_.limiter) limiter_ = sox_limiter_constant(fixed_);
}

AudioFormat MeasuredGainEffect::configure(const AudioFormat& input) {
  channels_ = input.channels;
  figures_.assign(per_channel() ? std::size_t(channels_) : 1, Figures{});
  factors_.assign(std::size_t(channels_), 1.0);
  scale_.assign(std::size_t(channels_), 1.0f);
  reset();
  return input;
}

void MeasuredGainEffect::reset() noexcept {
  // sox starts its peaks at one integer step either side of 0.
  for (Figures& f : figures_) f = {1 / sox_one, -1 / sox_one, 0, 0};
}

void MeasuredGainEffect::set_headroom_in(double reclaim) {
  if (!options_.restore) return;
  if (!(reclaim > 0 && reclaim < 1))
    throw std::invalid_argument(description_ + ": can't reclaim headroom (no gain -h before it "
                                               "made any)");
  reclaim_ = 1 / reclaim;
}

AudioBlock MeasuredGainEffect::process(AudioBlock block) noexcept {
  const auto stride = static_cast<std::size_t>(block.channels);
  if (measuring_) {
    const bool each = per_channel();
    for (std::size_t i = 0; i < block.frames; ++i)
      for (std::size_t c = 0; c < stride; ++c) {
        const double x = block.data[i * stride + c];
        Figures& f = figures_[each ? c : 0];
        f.max = std::max(f.max, x);
        f.min = std::min(f.min, x);
        f.power += x * x;
        ++f.samples;
      }
    return block;
  }
  if (options_.limiter) {
    for (std::size_t i = 0; i < block.frames; ++i)
      for (std::size_t c = 0; c < stride; ++c) {
        float& x = block.data[i * stride + c];
        x = sox_limited(x, factors_[c], limiter_);
      }
  } else {
    for (std::size_t i = 0; i < block.frames; ++i)
      for (std::size_t c = 0; c < stride; ++c) block.data[i * stride + c] *= scale_[c];
  }
  count_clips(block);
  return block;
}

std::string MeasuredGainEffect::apply() {
  measuring_ = false;
  std::string note;
  // A channel's peak relative to full scale, as sox's max(max / SOX_SAMPLE_MAX, min / MIN).
  const auto peak = [](const Figures& f) { return std::max(f.max * sox_one / sox_max, -f.min); };
  const auto rms = [](const Figures& f) {
    return f.samples ? std::sqrt(f.power / double(f.samples)) : 0.0;
  };
  if (options_.balance || options_.balance_no_clip) {
    double loudest = 0, max_peak = 0;
    for (const Figures& f : figures_) loudest = std::max(loudest, rms(f));
    for (std::size_t c = 0; c < figures_.size(); ++c) {
      const double r = rms(figures_[c]);
      factors_[c] = r != 0 ? loudest / r : 1;
      max_peak = std::max(max_peak, factors_[c] * peak(figures_[c]));
      factors_[c] *= fixed_;
    }
    // -B measures no peaks unless -n asks: sox's "Note -Bn = -bn".
    if (options_.normalise || (options_.balance_no_clip && max_peak > 1))
      for (double& f : factors_) f /= max_peak;
  } else if (options_.equalise && !options_.normalise) {
    double max_peak = 0;
    for (const Figures& f : figures_) max_peak = std::max(max_peak, peak(f));
    for (std::size_t c = 0; c < figures_.size(); ++c)
      factors_[c] = fixed_ / peak(figures_[c]) * max_peak;
  } else {
    // -n (each channel alone with -e), -r: the largest gain that keeps every peak in range.
    for (std::size_t k = 0; k < figures_.size(); ++k) {
      const Figures& f = figures_[k];
      double mult = std::min(sox_max / (f.max * sox_one), -1 / f.min);
      if (options_.restore) {
        if (reclaim_ > mult) {
          char text[64];
          std::snprintf(text, sizeof text, "%.3gdB not reclaimed",
                        20 * std::log10(reclaim_ / mult));
          note = text;
        } else {
          mult = reclaim_;
        }
      }
      mult *= fixed_;
      if (figures_.size() == 1)
        std::fill(factors_.begin(), factors_.end(), mult);
      else
        factors_[k] = mult;
    }
  }
  for (std::size_t c = 0; c < factors_.size(); ++c) scale_[c] = static_cast<float>(factors_[c]);
  return note;
}

RateEffect::RateEffect(double rate) : rate_(rate) {}

RateEffect::~RateEffect() {
  if (resampler_) soxr_delete(resampler_);
}

std::string RateEffect::description() const { return "rate " + shortest(rate_); }

AudioFormat RateEffect::configure(const AudioFormat& input) {
  input_ = input;
  // Past this factor either way the output buffers grow without bound (a 1 Hz file to 44.1 kHz
  // would need 44100 output frames per input frame): refused, as a request that cannot work.
  constexpr double max_ratio = 256;
  if (!(rate_ <= input.rate * max_ratio && rate_ * max_ratio >= input.rate))
    throw std::invalid_argument(description() + ": cannot resample from " + shortest(input.rate) +
                                " Hz; the rates may differ by a factor of at most 256");
  if (resampler_) soxr_delete(resampler_);
  soxr_error_t error = nullptr;
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  resampler_ = soxr_create(input.rate, rate_, static_cast<unsigned>(input.channels), &error, &io,
                           &quality, nullptr);
  if (error != nullptr) throw std::invalid_argument(description() + ": " + error);
  AudioFormat output = input;
  output.rate = rate_;
  // Room for one block's worth of output plus what the resampler may release at once.
  output.max_frames =
      static_cast<std::size_t>(std::ceil(double(input.max_frames) * rate_ / input.rate)) * 2 +
      16384;
  buffer_.assign(output.max_frames * static_cast<std::size_t>(input.channels), 0.0f);
  return output;
}

AudioBlock RateEffect::process(AudioBlock block) noexcept {
  std::size_t consumed = 0, produced = 0;
  const auto channels = static_cast<std::size_t>(block.channels);
  const std::size_t capacity = buffer_.size() / channels;
  // soxr may take the input in pieces when its output space runs short; the buffer is sized so
  // that never happens for one block, but loop defensively while there is room.
  while (consumed < block.frames && produced < capacity) {
    std::size_t in_done = 0, out_done = 0;
    soxr_process(resampler_, block.data + consumed * channels, block.frames - consumed, &in_done,
                 buffer_.data() + produced * channels, capacity - produced, &out_done);
    consumed += in_done;
    produced += out_done;
    if (in_done == 0 && out_done == 0) break;
  }
  AudioBlock out{buffer_.data(), produced, block.channels};
  count_clips(out);
  return out;
}

AudioBlock RateEffect::more() noexcept {
  if (!ending_) return {nullptr, 0, input_.channels};
  const auto channels = static_cast<std::size_t>(input_.channels);
  std::size_t out_done = 0;
  soxr_process(resampler_, nullptr, 0, nullptr, buffer_.data(), buffer_.size() / channels,
               &out_done);
  AudioBlock out{buffer_.data(), out_done, input_.channels};
  count_clips(out);
  return out;
}

void RateEffect::reset() noexcept {
  ending_ = false;
  if (resampler_) soxr_clear(resampler_);
}

AudioFormat SpeedEffect::configure(const AudioFormat& input) {
  AudioFormat output = input;
  output.rate = input.rate * factor_;
  return output;
}

} // namespace rc
