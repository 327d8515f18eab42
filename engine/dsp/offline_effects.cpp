// engine/dsp/offline_effects.cpp - see offline_effects.hpp.
#include "engine/dsp/offline_effects.hpp"

#include "engine/util/text.hpp"

#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace rc {

NormEffect::NormEffect(double target_db) : target_db_(target_db) {}

std::string NormEffect::description() const { return "norm " + shortest(target_db_); }

AudioBlock NormEffect::process(AudioBlock block) noexcept {
  if (measuring_) {
    for (std::size_t i = 0; i < block.samples(); ++i)
      peak_ = std::max(peak_, std::fabs(block.data[i]));
    return block;
  }
  for (std::size_t i = 0; i < block.samples(); ++i) block.data[i] *= factor_;
  count_clips(block);
  return block;
}

double NormEffect::apply() {
  measuring_ = false;
  if (peak_ <= 0.0f) return 0.0; // digital silence stays silence
  const double gain_db = target_db_ - 20 * std::log10(double(peak_));
  factor_ = static_cast<float>(std::pow(10.0, gain_db / 20));
  return gain_db;
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

} // namespace rc
