// engine/dsp/silence_effect.cpp - see silence_effect.hpp. Semantics from sox 14.4.2's silence.c.
#include "engine/dsp/silence_effect.hpp"

#include "engine/dsp/sox_position.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace rc {

namespace {

/// Returns: `x` as sox reads a float sample (SOX_FLOAT_32BIT_TO_SAMPLE: rounded half away from
/// zero, clipped); NaN as 0.
std::int32_t sox_sample(float x) noexcept {
  const double d = static_cast<double>(x) * 2147483648.0;
  if (d < 0) return d <= INT32_MIN - 0.5 ? INT32_MIN : static_cast<std::int32_t>(d - 0.5);
  if (d >= 0) return d >= INT32_MAX + 0.5 ? INT32_MAX : static_cast<std::int32_t>(d + 0.5);
  return 0;
}

} // namespace

SilenceEffect::SilenceEffect(std::string description, SilenceOptions options)
    : description_(std::move(description)), options_(std::move(options)) {}

void SilenceEffect::set_input_precision(int bits) noexcept {
  bits = std::clamp(bits, 1, 32);
  mask_ = static_cast<std::int32_t>(0xFFFFFFFFu << (32 - bits));
}

AudioFormat SilenceEffect::configure(const AudioFormat& input) {
  channels_ = input.channels;
  const auto channels = static_cast<std::size_t>(std::max(input.channels, 1));
  // sox: (rate / 50) * channels, in double, truncated.
  const double size = input.rate / 50 * static_cast<double>(input.channels);
  window_size_ = size > 0 && size < 1e12 ? static_cast<std::size_t>(size) : 0;
  window_.assign(std::max<std::size_t>(window_size_, 1), 0.0);
  const auto samples = [&](const SilenceCondition& c, const char* which) -> std::size_t {
    const auto frames = sox_samples(c.duration, input.rate, /*bare_is_time=*/false);
    if (!frames)
      throw std::invalid_argument(description_ + ": " + which + " duration '" + c.duration +
                                  "' is out of range at this rate");
    if (*frames > max_hold_bytes / sizeof(float) / channels)
      throw std::invalid_argument(description_ + ": " + which + " duration '" + c.duration +
                                  "' is too long (its hold buffer would pass 1 GiB)");
    return static_cast<std::size_t>(*frames) * channels;
  };
  start_duration_ = options_.trims_start ? samples(options_.above, "above") : 0;
  stop_duration_ = options_.trims_end ? samples(options_.below, "below") : 0;
  // sox writes a frame into a hold of duration 0 too (past its malloc(0)): room for one frame.
  start_hold_.assign(std::max(start_duration_, channels), 0.0f);
  stop_hold_.assign(std::max(stop_duration_, channels), 0.0f);
  reset();
  return input;
}

void SilenceEffect::clear_rms() noexcept {
  std::fill(window_.begin(), window_.end(), 0.0);
  window_pos_ = 0;
  rms_sum_ = 0;
}

void SilenceEffect::reset() noexcept {
  clear_rms();
  start_end_ = stop_end_ = 0;
  start_found_ = stop_found_ = 0;
  mode_ = options_.trims_start ? Mode::trim : Mode::copy;
  block_ = {nullptr, 0, channels_};
  offset_ = 0;
}

std::int32_t SilenceEffect::rms_with(std::int32_t sample) const noexcept {
  double sum = rms_sum_;
  sum -= window_[window_pos_];
  sum += static_cast<double>(sample) * static_cast<double>(sample);
  const double rms = std::sqrt(sum / static_cast<double>(window_size_));
  // A NaN or a value past int32 becomes INT32_MIN, as x86's conversion in sox.
  if (!(rms < 2147483648.0)) return INT32_MIN;
  return static_cast<std::int32_t>(rms);
}

void SilenceEffect::update_rms(std::int32_t sample) noexcept {
  rms_sum_ -= window_[window_pos_];
  window_[window_pos_] = static_cast<double>(sample) * static_cast<double>(sample);
  rms_sum_ += window_[window_pos_];
  if (++window_pos_ >= window_size_) window_pos_ = 0;
}

bool SilenceEffect::above(std::int32_t rms, const SilenceCondition& c) const noexcept {
  double scaled = static_cast<double>(rms & mask_) / 2147483647.0;
  if (c.unit == '%')
    scaled *= 100;
  else if (c.unit == 'd')
    scaled = std::log10(scaled) * 20;
  return scaled > c.threshold;
}

AudioBlock SilenceEffect::process(AudioBlock block) noexcept {
  block_ = block;
  offset_ = 0;
  return next();
}

AudioBlock SilenceEffect::more() noexcept { return next(); }

void SilenceEffect::end_input() noexcept {
  block_ = {nullptr, 0, channels_};
  offset_ = 0;
  // sox's drain gives what the stop hold has in copy mode (with -l, again).
  if (mode_ == Mode::copy) mode_ = Mode::copy_flush;
}

void SilenceEffect::scan_trim() noexcept {
  const auto ch = static_cast<std::size_t>(channels_);
  while (offset_ < block_.frames) {
    const float* frame = block_.data + offset_ * ch;
    bool loud = false;
    for (std::size_t j = 0; j < ch; ++j)
      loud |= above(rms_with(sox_sample(frame[j])), options_.above);
    ++offset_;
    if (!loud) {
      start_end_ = 0;
      for (std::size_t j = 0; j < ch; ++j) update_rms(sox_sample(frame[j]));
      continue;
    }
    for (std::size_t j = 0; j < ch; ++j) {
      update_rms(sox_sample(frame[j]));
      start_hold_[start_end_++] = frame[j];
    }
    if (start_end_ >= start_duration_) {
      if (++start_found_ >= options_.above.periods) {
        mode_ = Mode::trim_flush;
        return;
      }
      start_end_ = 0; // a period found, not the last: dropped
    }
  }
}

AudioBlock SilenceEffect::next() noexcept {
  const auto ch = static_cast<std::size_t>(channels_);
  for (;;) {
    switch (mode_) {
    case Mode::trim_flush:
    case Mode::copy_flush: {
      const bool start = mode_ == Mode::trim_flush;
      std::size_t& end = start ? start_end_ : stop_end_;
      const std::size_t n = end;
      end = 0;
      mode_ = Mode::copy;
      if (n > 0) return {(start ? start_hold_ : stop_hold_).data(), n / ch, channels_};
      continue;
    }
    case Mode::stop: // offset_ stays where the output ended (frames_taken())
      return {nullptr, 0, channels_};
    case Mode::trim:
    case Mode::copy:
      break;
    }
    if (offset_ >= block_.frames) return {nullptr, 0, channels_};
    if (mode_ == Mode::trim) {
      scan_trim();
      continue;
    }
    if (!options_.trims_end) { // copy the rest
      const std::size_t from = offset_;
      offset_ = block_.frames;
      return {block_.data + from * ch, block_.frames - from, channels_};
    }
    std::size_t run = offset_; // the frames [run, offset_) go out as they are
    while (offset_ < block_.frames) {
      const float* frame = block_.data + offset_ * ch;
      bool loud = true;
      for (std::size_t j = 0; j < ch; ++j)
        loud &= above(rms_with(sox_sample(frame[j])), options_.below);
      if (loud && stop_end_ > 0 && !options_.leave) { // silence ended: give it back first
        mode_ = Mode::copy_flush;
        break;
      }
      if (loud) {
        for (std::size_t j = 0; j < ch; ++j) update_rms(sox_sample(frame[j]));
        ++offset_;
        continue;
      }
      if (!options_.leave && offset_ > run) break; // give the run before holding this frame
      for (std::size_t j = 0; j < ch; ++j) {
        update_rms(sox_sample(frame[j]));
        stop_hold_[stop_end_++] = frame[j];
      }
      ++offset_;
      if (!options_.leave) run = offset_;
      if (stop_end_ >= stop_duration_) {
        if (++stop_found_ >= options_.below.periods) {
          stop_end_ = 0;
          if (!options_.restart) {
            mode_ = Mode::stop;
          } else {
            stop_found_ = start_found_ = 0;
            start_end_ = 0;
            clear_rms();
            mode_ = Mode::trim;
          }
        } else {
          mode_ = Mode::copy_flush; // a period, not the last: given back
        }
        break;
      }
    }
    if (offset_ > run) return {block_.data + run * ch, offset_ - run, channels_};
  }
}

} // namespace rc
