// engine/dsp/channel_effects.cpp - see channel_effects.hpp.
#include "engine/dsp/channel_effects.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace rc {

RemixEffect::RemixEffect(std::string description, std::vector<std::vector<RemixInputSpec>> outputs,
                         bool manual)
    : description_(std::move(description)), specs_(std::move(outputs)), manual_(manual) {}

double RemixEffect::headroom_factor() const noexcept {
  double largest = 0;
  for (const RemixOutput& out : outputs_) {
    double sum = 0;
    for (const RemixSource& source : out.sources) sum += std::fabs(source.volume);
    largest = std::max(largest, sum);
  }
  return largest > 1 ? 1 / largest : 1.0;
}

AudioFormat RemixEffect::configure(const AudioFormat& input) {
  outputs_.clear();
  for (const auto& specs : specs_) {
    RemixOutput out;
    std::size_t plain = 0;
    for (const RemixInputSpec& s : specs) {
      const int last = s.last == 0 ? input.channels : s.last;
      if (s.first < 1 || last > input.channels || s.first > last)
        throw std::invalid_argument(description_ + ": the input has " +
                                    std::to_string(input.channels) + " channel(s); channel " +
                                    std::to_string(std::max(s.first, last)) + " does not exist");
      for (int c = s.first; c <= last; ++c) {
        out.sources.push_back({c - 1, s.has_volume ? s.volume : 1.0});
        if (!s.has_volume) ++plain;
      }
    }
    // sox's automatic mode: channels without their own volume share unity gain equally.
    if (!manual_ && plain > 1) {
      std::size_t i = 0;
      for (const RemixInputSpec& s : specs) {
        const int last = s.last == 0 ? input.channels : s.last;
        for (int c = s.first; c <= last; ++c, ++i)
          if (!s.has_volume) out.sources[i].volume = 1.0 / double(plain);
      }
    }
    outputs_.push_back(std::move(out));
  }
  AudioFormat output = input;
  output.channels = static_cast<int>(outputs_.size());
  buffer_.assign(input.max_frames * outputs_.size(), 0.0f);
  return output;
}

namespace {
/// Returns: `block` mixed into `buffer` (room for its frames of every output) by `outputs`.
/// Real-time safe.
AudioBlock mix(const std::vector<RemixOutput>& outputs, AudioBlock block,
               std::vector<float>& buffer) noexcept {
  const auto in_channels = static_cast<std::size_t>(block.channels);
  const std::size_t out_channels = outputs.size();
  for (std::size_t i = 0; i < block.frames; ++i) {
    const float* in = block.data + i * in_channels;
    float* out = buffer.data() + i * out_channels;
    for (std::size_t o = 0; o < out_channels; ++o) {
      double sum = 0;
      for (const RemixSource& s : outputs[o].sources) sum += in[s.channel] * s.volume;
      out[o] = static_cast<float>(sum);
    }
  }
  return {buffer.data(), block.frames, static_cast<int>(out_channels)};
}
} // namespace

AudioBlock RemixEffect::process(AudioBlock block) noexcept {
  const AudioBlock result = mix(outputs_, block, buffer_);
  count_clips(result);
  return result;
}

AudioFormat ChannelsEffect::configure(const AudioFormat& input) {
  outputs_.clear();
  mixes_down_ = input.channels > channels_;
  AudioFormat output = input;
  output.channels = channels_;
  if (input.channels == channels_) return output;
  const auto n = static_cast<std::size_t>(channels_);
  const auto c = static_cast<std::size_t>(input.channels);
  outputs_.resize(n);
  for (std::size_t j = 0; j < n; ++j) {
    if (c > n) {
      const std::size_t inputs = (c + n - 1 - j) / n; // channels j, j + n, ... below c
      for (std::size_t i = 0; i < inputs; ++i)
        outputs_[j].sources.push_back({static_cast<int>(i * n + j), 1.0 / double(inputs)});
    } else {
      outputs_[j].sources.push_back({static_cast<int>(j % c), 1.0});
    }
  }
  buffer_.assign(input.max_frames * n, 0.0f);
  return output;
}

AudioBlock ChannelsEffect::process(AudioBlock block) noexcept {
  if (outputs_.empty()) return block;
  const AudioBlock result = mix(outputs_, block, buffer_);
  count_clips(result);
  return result;
}

AudioBlock SwapEffect::process(AudioBlock block) noexcept {
  const auto channels = static_cast<std::size_t>(block.channels);
  for (std::size_t i = 0; i < block.frames; ++i)
    for (std::size_t c = 0; c + 1 < channels; c += 2)
      std::swap(block.data[i * channels + c], block.data[i * channels + c + 1]);
  return block;
}

} // namespace rc
