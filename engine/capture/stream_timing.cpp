// engine/capture/stream_timing.cpp - see stream_timing.hpp.
#include "engine/capture/stream_timing.hpp"

namespace rc {

namespace {
// PortAudio status flags, kept numeric so this file needs no PortAudio.
constexpr std::uint32_t input_overflow_flag = 0x2;
constexpr std::uint32_t output_underflow_flag = 0x4;

// The timeline frame where a header's gaps begin (dropped frames, then the host's gap).
std::uint64_t block_start(const BlockHeader& h) noexcept {
  return h.first_frame - h.host_gap_before - h.gap_before;
}
} // namespace

StreamTiming::StreamTiming(int rate, bool output_side)
    : rate_(rate > 0 ? rate : 1), output_side_(output_side) {}

void StreamTiming::on_header(const BlockHeader& header) {
  const double time = double(block_start(header)) / rate_;
  capture_fill_.record(time, header.ring_fill);
  if ((header.status_flags & input_overflow_flag) != 0)
    add_xrun(XrunKind::input_overflow, block_start(header), 0);
  if (output_side_ && (header.status_flags & output_underflow_flag) != 0)
    add_xrun(XrunKind::output_underflow, block_start(header), 0);

  if (previous_ && previous_->sequence + 1 == header.sequence) {
    // From one callback's frames to the next's: the wall time between them covers the previous
    // block (delivered or dropped by us) and any host gap before this one.
    const std::uint64_t frames = header.first_frame - previous_->first_frame;
    const double ideal_us = 1e6 * double(frames) / rate_;
    if (period_us_ == 0 && header.host_gap_before == 0 && header.gap_before == 0) {
      period_us_ = ideal_us;
      jitter_.emplace(period_us_); // bins span +- one period; beyond it the end bins count
    }
    const double interval_us =
        double(header.callback_start_ns - previous_->callback_start_ns) / 1e3;
    if (jitter_) jitter_->record(interval_us - ideal_us);
  }
  previous_ = header;
}

void StreamTiming::add_xrun(XrunKind kind, std::uint64_t frame, std::uint64_t frames) {
  if (xruns_.size() >= max_listed) {
    ++not_listed_;
    return;
  }
  xruns_.push_back({double(frame) / rate_, kind, frame, frames});
}

void StreamTiming::on_playback_fill(std::uint64_t frame, std::uint64_t fill) {
  playback_fill_.record(double(frame) / rate_, double(fill));
}

} // namespace rc
