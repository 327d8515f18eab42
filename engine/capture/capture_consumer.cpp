// engine/capture/capture_consumer.cpp - see capture_consumer.hpp.
#include "engine/capture/capture_consumer.hpp"

#include "engine/util/monotonic_clock.hpp"

namespace rc {

CaptureConsumer::CaptureConsumer(CaptureChannel channel, FrameSink& sink, std::size_t max_block,
                                 BlockProcessor processor, int rate)
    : channel_(channel), sink_(sink), processor_(std::move(processor)),
      channels_(static_cast<int>(channel.frames.channels())),
      scratch_(max_block * channel.frames.channels()), meter_(channels_), timing_(rate) {}

bool CaptureConsumer::drain() {
  BlockHeader header;
  while (!failed_ && channel_.headers.try_pop(header))
    if (!handle(header)) failed_ = true;
  return !failed_;
}

bool CaptureConsumer::finish(std::uint64_t trailing_gap, std::uint64_t trailing_host_gap) {
  if (!drain()) return false;
  if (trailing_gap > 0 && !write_gap(XrunKind::overrun, frames_written(), trailing_gap))
    failed_ = true;
  if (!failed_ && trailing_host_gap > 0 &&
      !write_gap(XrunKind::host_gap, frames_written(), trailing_host_gap))
    failed_ = true;
  return !failed_;
}

bool CaptureConsumer::handle(const BlockHeader& header) {
  const std::uint64_t host_gap_at = header.first_frame - header.host_gap_before;
  if (header.gap_before > 0 &&
      !write_gap(XrunKind::overrun, host_gap_at - header.gap_before, header.gap_before))
    return false;
  if (header.host_gap_before > 0 &&
      !write_gap(XrunKind::host_gap, host_gap_at, header.host_gap_before))
    return false;

  // The producer committed these frames before pushing the header, so they are all there.
  const std::size_t got = channel_.frames.pop(scratch_.data(), header.frames);
  const Frames block{scratch_.data(), got, channels_};
  if (processor_) processor_(block);
  meter_.process(block);
  const std::uint64_t position = frames_written();
  if (!sink_.write(block)) return fail_write();
  frames_written_.fetch_add(got, std::memory_order_relaxed);
  if (observer_) observer_->on_frames(position, block);

  timing_.on_header(header);
  callback_ns_.record(header.callback_ns);
  ring_fill_.record(header.ring_fill);
  const std::int64_t latency = monotonic_ns() - header.callback_start_ns;
  disk_latency_ns_.record(static_cast<std::uint64_t>(latency > 0 ? latency : 0));
  return true;
}

bool CaptureConsumer::write_gap(XrunKind kind, std::uint64_t position, std::uint64_t frames) {
  std::vector<OverrunEvent>& runs = kind == XrunKind::overrun ? overruns_ : host_gaps_;
  if (!runs.empty() && runs.back().frame + runs.back().frames == position)
    runs.back().frames += frames; // one run split across callbacks
  else if (runs.size() < StreamTiming::max_listed)
    runs.push_back({position, frames});
  timing_.add_xrun(kind, position, frames);
  const std::uint64_t written = frames_written();
  if (!sink_.write_silence(frames, channels_)) return fail_write();
  frames_written_.fetch_add(frames, std::memory_order_relaxed);
  if (observer_) observer_->on_silence(written, frames);
  return true;
}

bool CaptureConsumer::fail_write() {
  // A short write may have kept part of the block: the report must count what the file holds,
  // so take the sink's own total (a store, not an add: it already includes everything before).
  if (const auto appended = sink_.frames_appended())
    frames_written_.store(*appended, std::memory_order_relaxed);
  return false;
}

} // namespace rc
