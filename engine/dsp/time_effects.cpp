// engine/dsp/time_effects.cpp - see time_effects.hpp. Semantics from sox's trim.c and pad.c.
#include "engine/dsp/time_effects.hpp"

#include "engine/dsp/sox_position.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace rc {

namespace {

/// A rate and an end to check a position's syntax with before the input is known.
constexpr double syntax_rate = 48000;
constexpr std::uint64_t syntax_end = std::uint64_t{1} << 60;

/// Returns: length(), an effect's output length from its positions, or `frames` when those do
/// not resolve against this input (configure() says why).
template <class Length> std::uint64_t length_or(std::uint64_t frames, const Length& length) {
  try {
    return length();
  } catch (const std::invalid_argument&) {
    return frames;
  }
}

} // namespace

// ---------------------------------------------------------------- trim

TrimEffect::TrimEffect(std::string description, std::vector<std::string> positions)
    : description_(std::move(description)), positions_(std::move(positions)) {
  for (std::size_t i = 0; i < positions_.size(); ++i)
    if (!sox_position(positions_[i], syntax_rate, 0, syntax_end, SoxAnchor::last))
      throw std::invalid_argument("trim: position " + std::to_string(i + 1) + " '" + positions_[i] +
                                  "' is not a time or position (e.g. 10, 1:30, 4800s, =2, -0.5)");
}

std::vector<std::pair<std::uint64_t, std::uint64_t>>
TrimEffect::windows_at(double rate, std::optional<std::uint64_t> length) const {
  std::vector<std::uint64_t> at;
  std::uint64_t last = 0;
  for (std::size_t i = 0; i < positions_.size(); ++i) {
    const auto p = sox_position(positions_[i], rate, last, length, SoxAnchor::last);
    if (!p)
      throw std::invalid_argument(description_ + ": position " + std::to_string(i + 1) +
                                  " is relative to the end, whose length is not known");
    const std::uint64_t frames = p->at_unknown_end ? UINT64_MAX : p->frames;
    if (!at.empty() && frames < at.back())
      throw std::invalid_argument(description_ + ": position " + std::to_string(i + 1) +
                                  " is before the one before it");
    at.push_back(frames);
    last = frames;
  }
  std::vector<std::pair<std::uint64_t, std::uint64_t>> windows;
  for (std::size_t i = 0; i < at.size(); i += 2)
    windows.emplace_back(at[i], i + 1 < at.size() ? at[i + 1] : UINT64_MAX);
  return windows;
}

AudioFormat TrimEffect::configure(const AudioFormat& input) {
  windows_ = windows_at(input.rate, length_);
  reset();
  return input;
}

std::uint64_t TrimEffect::output_length(std::uint64_t frames, double rate) const {
  return length_or(frames, [&] {
    std::uint64_t out = 0;
    for (const auto& [start, end] : windows_at(rate, frames))
      out += std::min(end, frames) - std::min(start, frames);
    return out;
  });
}

std::uint64_t TrimEffect::frames_before_output() const noexcept {
  if (windows_.empty()) return 0;
  const std::uint64_t start = windows_.front().first;
  return length_ ? std::min(start, *length_) : start;
}

void TrimEffect::reset() noexcept {
  window_ = 0;
  position_ = 0;
  block_ = {nullptr, 0, 0};
  offset_ = 0;
  ended_ = false;
  taken_ = 0;
}

AudioBlock TrimEffect::process(AudioBlock block) noexcept {
  position_ += block_.frames; // the previous block, all of it
  block_ = block;
  offset_ = 0;
  return more();
}

AudioBlock TrimEffect::more() noexcept {
  const auto channels = static_cast<std::size_t>(block_.channels);
  while (offset_ < block_.frames && window_ < windows_.size()) {
    const std::uint64_t at = position_ + offset_;
    const auto [start, end] = windows_[window_];
    if (at >= end || start >= end) { // passed, or empty (two equal positions)
      ++window_;
      continue;
    }
    const std::uint64_t block_end = position_ + block_.frames;
    if (start >= block_end) break; // the next window starts after this block
    const std::uint64_t from = std::max(at, start);
    const std::uint64_t to = std::min(end, block_end);
    offset_ = static_cast<std::size_t>(to - position_);
    return {block_.data + (from - position_) * channels, static_cast<std::size_t>(to - from),
            block_.channels};
  }
  if (!ended_ && window_ >= windows_.size()) ended_ = true, taken_ = offset_;
  offset_ = block_.frames;
  return {nullptr, 0, block_.channels};
}

// ---------------------------------------------------------------- pad

PadEffect::PadEffect(std::string description, std::vector<std::string> pads)
    : description_(std::move(description)), specs_(std::move(pads)) {
  // Syntax only: the order of positions depends on the rate ("1@100s 1@0.002" is in order at
  // 96 kHz, not at 48 kHz), so configure() checks it, as sox does once the rate is known.
  for (const std::string& spec : specs_) {
    const std::size_t at = spec.find('@');
    if (!sox_samples(spec.substr(0, at), syntax_rate) ||
        (at != std::string::npos &&
         !sox_position(spec.substr(at + 1), syntax_rate, 0, syntax_end, SoxAnchor::start)))
      throw std::invalid_argument("pad: '" + spec +
                                  "' is not LENGTH[@POSITION] (e.g. 1.5 or 0.5@1:00)");
  }
}

std::vector<PadEffect::Pad> PadEffect::pads_at(double rate,
                                               std::optional<std::uint64_t> length) const {
  std::vector<Pad> pads;
  std::uint64_t last = 0;
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    const std::string& spec = specs_[i];
    const std::size_t at = spec.find('@');
    const auto frames = sox_samples(spec.substr(0, at), rate);
    if (!frames)
      throw std::invalid_argument("pad: '" + spec +
                                  "' is not LENGTH[@POSITION] (e.g. 1.5 or 0.5@1:00)");
    Pad pad{i == 0 ? 0 : end_marker, *frames};
    if (at != std::string::npos) {
      const auto p = sox_position(spec.substr(at + 1), rate, last, length, SoxAnchor::start);
      if (!p)
        throw std::invalid_argument("pad: '" + spec + "': " +
                                    (spec.size() > at + 1 && spec[at + 1] == '-'
                                         ? "a position from the end needs the input's length"
                                         : "the position is not a time"));
      pad.start = p->at_unknown_end ? end_marker : p->frames;
      last = pad.start;
    }
    if (!pads.empty() && pad.start <= pads.back().start)
      throw std::invalid_argument("pad: the position of '" + spec +
                                  "' is not after the one before it");
    pads.push_back(pad);
  }
  if (length)
    for (const Pad& pad : pads)
      if (pad.start != end_marker && pad.start > *length)
        throw std::invalid_argument(description_ + ": a position is after the end of the audio");
  return pads;
}

AudioFormat PadEffect::configure(const AudioFormat& input) {
  pads_ = pads_at(input.rate, length_);
  channels_ = input.channels;
  max_frames_ = std::max<std::size_t>(input.max_frames, 1);
  silence_.assign(max_frames_ * static_cast<std::size_t>(input.channels), 0.0f);
  reset();
  return input;
}

std::uint64_t PadEffect::output_length(std::uint64_t frames, double rate) const {
  return length_or(frames, [&] {
    std::uint64_t out = frames;
    for (const Pad& pad : pads_at(rate, frames)) out += pad.frames;
    return out;
  });
}

void PadEffect::reset() noexcept {
  pad_ = 0;
  pad_done_ = 0;
  position_ = 0;
  block_ = {nullptr, 0, channels_};
  offset_ = 0;
}

AudioBlock PadEffect::process(AudioBlock block) noexcept {
  block_ = block;
  offset_ = 0;
  return next();
}

AudioBlock PadEffect::more() noexcept { return next(); }

void PadEffect::end_input() noexcept {
  block_ = {nullptr, 0, channels_};
  offset_ = 0;
  // As sox's drain: a pad still waiting for a position never reached is the one at the end.
  if (pad_ < pads_.size() && position_ != pads_[pad_].start) position_ = end_marker;
}

AudioBlock PadEffect::next() noexcept {
  for (;;) {
    if (pad_ < pads_.size() && position_ == pads_[pad_].start) {
      const Pad& pad = pads_[pad_];
      if (pad_done_ < pad.frames) {
        const auto n =
            static_cast<std::size_t>(std::min<std::uint64_t>(pad.frames - pad_done_, max_frames_));
        pad_done_ += n;
        // Zeroed each time: the effects after this one may have worked in place on it.
        std::fill_n(silence_.begin(), n * static_cast<std::size_t>(channels_), 0.0f);
        return {silence_.data(), n, channels_};
      }
      ++pad_;
      pad_done_ = 0;
      continue; // another pad at the same place, or the audio
    }
    if (offset_ >= block_.frames) return {nullptr, 0, channels_};
    std::uint64_t n = block_.frames - offset_;
    if (pad_ < pads_.size()) n = std::min(n, pads_[pad_].start - position_);
    const AudioBlock piece{block_.data + offset_ * static_cast<std::size_t>(channels_),
                           static_cast<std::size_t>(n), channels_};
    offset_ += static_cast<std::size_t>(n);
    position_ += n;
    return piece;
  }
}

// ---------------------------------------------------------------- repeat, reverse

SpoolEffect::SpoolEffect(std::string description, Kind kind, std::uint64_t count)
    : description_(std::move(description)), kind_(kind), count_(count) {}

AudioFormat SpoolEffect::configure(const AudioFormat& input) {
  channels_ = input.channels;
  max_frames_ = std::max<std::size_t>(input.max_frames, 1);
  out_.assign(max_frames_ * static_cast<std::size_t>(input.channels), 0.0f);
  reset();
  return input;
}

void SpoolEffect::reset() noexcept {
  ending_ = false;
  started_ = false;
  given_ = 0;
}

std::uint64_t SpoolEffect::output_length(std::uint64_t frames, double) const {
  return kind_ == Kind::repeat ? frames * (count_ + 1) : frames;
}

AudioBlock SpoolEffect::process(AudioBlock block) noexcept {
  if (kind_ == Kind::repeat && count_ == 0) return block; // sox leaves "repeat 0" out
  if (!started_ && spool_.error().empty()) started_ = spool_.start(channels_);
  if (started_ && spool_.error().empty()) (void)spool_.append(block.data, block.frames);
  if (kind_ == Kind::repeat) return block; // the input itself first
  return {nullptr, 0, channels_};          // reverse: nothing until the end
}

AudioBlock SpoolEffect::more() noexcept {
  if (!ending_ || !started_ || !spool_.error().empty()) return {nullptr, 0, channels_};
  const std::uint64_t length = spool_.frames();
  const std::uint64_t total = kind_ == Kind::repeat ? length * count_ : length;
  if (given_ >= total || length == 0) return {nullptr, 0, channels_};
  const auto channels = static_cast<std::size_t>(channels_);
  if (kind_ == Kind::repeat) {
    // The spool again from where this pass is, never past its end in one piece.
    const std::uint64_t at = given_ % length;
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(length - at, max_frames_));
    if (!spool_.read(at, n, out_.data())) return {nullptr, 0, channels_};
    given_ += n;
    return {out_.data(), n, channels_};
  }
  // reverse: the last frames not given yet, read forwards, then turned round frame by frame.
  const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(length - given_, max_frames_));
  if (!spool_.read(length - given_ - n, n, out_.data())) return {nullptr, 0, channels_};
  for (std::size_t i = 0, j = n - 1; i < j; ++i, --j)
    std::swap_ranges(out_.begin() + static_cast<std::ptrdiff_t>(i * channels),
                     out_.begin() + static_cast<std::ptrdiff_t>((i + 1) * channels),
                     out_.begin() + static_cast<std::ptrdiff_t>(j * channels));
  given_ += n;
  return {out_.data(), n, channels_};
}

// ---------------------------------------------------------------- delay

DelayEffect::DelayEffect(std::string description, std::vector<std::string> delays)
    : description_(std::move(description)), specs_(std::move(delays)) {
  for (std::size_t i = 0; i < specs_.size(); ++i)
    if (!sox_position(specs_[i], syntax_rate, 0, syntax_end, SoxAnchor::start))
      throw std::invalid_argument("delay: '" + specs_[i] +
                                  "' is not a time (e.g. 0.5, 1:00, 480s)");
}

std::vector<std::uint64_t> DelayEffect::delays_at(double rate,
                                                  std::optional<std::uint64_t> length) const {
  std::vector<std::uint64_t> delays;
  std::uint64_t last = 0;
  for (const std::string& spec : specs_) {
    const auto p = sox_position(spec, rate, last, length, SoxAnchor::start);
    if (!p || p->at_unknown_end)
      throw std::invalid_argument(description_ + ": '" + spec +
                                  "' is relative to the end, whose length is not known");
    delays.push_back(p->frames);
    last = p->frames;
  }
  return delays;
}

AudioFormat DelayEffect::configure(const AudioFormat& input) {
  if (specs_.size() > static_cast<std::size_t>(input.channels))
    throw std::invalid_argument(description_ + ": " + std::to_string(specs_.size()) +
                                " delays for " + std::to_string(input.channels) + " channel(s)");
  const std::vector<std::uint64_t> delays = delays_at(input.rate, length_);
  std::uint64_t total = 0;
  for (const std::uint64_t d : delays) total += d;
  if (total > max_delay_bytes / sizeof(float))
    throw std::invalid_argument(description_ + ": the delays would hold more than " +
                                std::to_string(max_delay_bytes >> 20) + " MiB of samples");
  lines_.assign(static_cast<std::size_t>(input.channels), Line{});
  max_delay_ = 0;
  for (std::size_t c = 0; c < delays.size(); ++c) {
    lines_[c].ring.assign(static_cast<std::size_t>(delays[c]), 0.0f);
    max_delay_ = std::max(max_delay_, delays[c]);
  }
  max_frames_ = std::max<std::size_t>(input.max_frames, 1);
  tail_.assign(max_frames_ * static_cast<std::size_t>(input.channels), 0.0f);
  reset();
  return input;
}

std::uint64_t DelayEffect::output_length(std::uint64_t frames, double rate) const {
  return length_or(frames, [&] {
    std::uint64_t longest = 0;
    for (const std::uint64_t d : delays_at(rate, frames)) longest = std::max(longest, d);
    return frames + longest;
  });
}

void DelayEffect::reset() noexcept {
  for (Line& line : lines_) {
    std::fill(line.ring.begin(), line.ring.end(), 0.0f);
    line.index = 0;
  }
  tail_done_ = 0;
  ending_ = false;
}

AudioBlock DelayEffect::process(AudioBlock block) noexcept {
  const auto channels = static_cast<std::size_t>(block.channels);
  for (std::size_t c = 0; c < channels; ++c) {
    Line& line = lines_[c];
    const std::size_t d = line.ring.size();
    if (d == 0) continue;
    for (std::size_t i = 0; i < block.frames; ++i) {
      float& sample = block.data[i * channels + c];
      const float delayed = line.ring[line.index];
      line.ring[line.index] = sample;
      sample = delayed;
      if (++line.index == d) line.index = 0;
    }
  }
  return block;
}

AudioBlock DelayEffect::more() noexcept {
  const auto channels = lines_.size();
  if (!ending_ || tail_done_ >= max_delay_) return {nullptr, 0, static_cast<int>(channels)};
  // The tail: what each line still holds, oldest first, then silence to the longest delay.
  const auto n =
      static_cast<std::size_t>(std::min<std::uint64_t>(max_delay_ - tail_done_, max_frames_));
  for (std::size_t c = 0; c < channels; ++c) {
    const Line& line = lines_[c];
    const std::size_t d = line.ring.size();
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t t = tail_done_ + i;
      tail_[i * channels + c] = t < d ? line.ring[(line.index + t) % d] : 0.0f;
    }
  }
  tail_done_ += n;
  return {tail_.data(), n, static_cast<int>(channels)};
}

} // namespace rc
