// engine/capture/capture_producer.cpp - see capture_producer.hpp.
#include "engine/capture/capture_producer.hpp"

#include "engine/util/monotonic_clock.hpp"

#include <algorithm>

namespace rc {

namespace {
// Single-writer maximum: only the audio thread stores, so a plain compare-and-store suffices.
void store_max(std::atomic<std::uint64_t>& target, std::uint64_t value) noexcept {
  if (value > target.load(std::memory_order_relaxed))
    target.store(value, std::memory_order_relaxed);
}
} // namespace

CaptureProducer::CaptureProducer(CaptureChannel channel, int device_channels, const ChannelMap& map,
                                 std::uint64_t frame_limit,
                                 std::optional<DeviceClockRule> clock_rule, int rate,
                                 InputUnderflow underflow) noexcept
    : channel_(channel), underflow_(underflow), conversion_(device_channels, map),
      frame_limit_(frame_limit) {
  if (clock_rule) gaps_.emplace(*clock_rule, rate);
}

bool CaptureProducer::on_input(const float* interleaved, std::uint32_t frames,
                               std::uint32_t status_flags, std::int64_t callback_start_ns,
                               double device_clock) noexcept {
  CaptureCounters& counters = channel_.counters;
  last_host_gap_ = 0;
  last_made_up_ = false;
  // paInputUnderflow and paInputOverflow; numeric so this file needs no PortAudio.
  if ((status_flags & 0x2u) != 0)
    counters.input_overflow_flags.fetch_add(1, std::memory_order_relaxed);
  if ((status_flags & 0x1u) != 0) {
    counters.input_underflow_flags.fetch_add(1, std::memory_order_relaxed);
    if (underflow_ == InputUnderflow::made_up) { // not the device's frames: not on the timeline
      counters.host_inserted_frames.fetch_add(frames, std::memory_order_relaxed);
      last_made_up_ = true;
      return next_frame_ >= frame_limit_;
    }
  }
  if (gaps_) {
    const HostGapVerdict verdict =
        gaps_->observe(device_clock, callback_start_ns, next_frame_, frames);
    if (verdict.clock_step) counters.clock_steps.fetch_add(1, std::memory_order_relaxed);
    if (verdict.uncertain > 0) {
      counters.uncertain_gap_events.fetch_add(1, std::memory_order_relaxed);
      counters.uncertain_gap_frames.fetch_add(verdict.uncertain, std::memory_order_relaxed);
    }
    // The timeline ends at frame_limit_: a gap reaching past it is cut there (next_frame_ never
    // exceeds frame_limit_, so this cannot underflow).
    const std::uint64_t gap = std::min(verdict.gap, frame_limit_ - next_frame_);
    if (gap > 0) {
      next_frame_ += gap;
      pending_host_gap_ += gap;
      last_host_gap_ = gap;
      counters.host_gap_events.fetch_add(1, std::memory_order_relaxed);
      counters.host_gap_frames.fetch_add(gap, std::memory_order_relaxed);
    }
  }
  const std::uint64_t remaining = frame_limit_ - next_frame_;
  const std::uint32_t taken = remaining < frames ? static_cast<std::uint32_t>(remaining) : frames;

  // A header slot is checked first: frames without a header could never be consumed in order.
  const bool header_room = channel_.headers.free_space() > 0;
  std::uint32_t pushed = 0;
  if (header_room) {
    const auto regions = channel_.frames.write_regions(taken);
    const int ours = conversion_.map().count;
    const std::size_t first = regions.first.frames;
    conversion_.convert(interleaved, Frames{regions.first.samples.data(), first, ours});
    if (regions.second.frames > 0) {
      const float* rest =
          interleaved == nullptr
              ? nullptr
              : interleaved + first * static_cast<std::size_t>(conversion_.device_channels());
      conversion_.convert(rest, Frames{regions.second.samples.data(), regions.second.frames, ours});
    }
    pushed = static_cast<std::uint32_t>(regions.frames());
    channel_.frames.commit_write(pushed);
  }
  const std::uint32_t dropped = taken - pushed;

  if (header_room) {
    const std::size_t fill = channel_.frames.size();
    BlockHeader header;
    header.sequence = sequence_;
    header.first_frame = next_frame_;
    header.gap_before = pending_gap_;
    header.host_gap_before = pending_host_gap_;
    header.frames = pushed;
    header.callback_start_ns = callback_start_ns;
    header.ring_fill = static_cast<std::uint32_t>(fill);
    header.status_flags = status_flags;
    header.callback_ns = static_cast<std::uint32_t>(monotonic_ns() - callback_start_ns);
    (void)channel_.headers.try_push(header); // cannot fail: free_space() > 0 above
    pending_gap_ = 0;
    pending_host_gap_ = 0;
    store_max(counters.ring_fill_max, fill);
  }

  if (dropped > 0) {
    // A new overrun event starts unless the previous callback's last frame was dropped too.
    const bool continues = last_frame_dropped_ && (pushed == 0);
    if (!continues) counters.overrun_events.fetch_add(1, std::memory_order_relaxed);
    counters.overrun_frames.fetch_add(dropped, std::memory_order_relaxed);
    pending_gap_ += dropped;
  }
  last_frame_dropped_ = dropped > 0;

  next_frame_ += taken;
  ++sequence_;
  counters.callbacks.store(sequence_, std::memory_order_relaxed);
  counters.frames_captured.store(next_frame_, std::memory_order_relaxed);
  counters.pending_gap.store(pending_gap_, std::memory_order_relaxed);
  counters.pending_host_gap.store(pending_host_gap_, std::memory_order_relaxed);
  store_max(counters.callback_ns_max,
            static_cast<std::uint64_t>(monotonic_ns() - callback_start_ns));
  return next_frame_ >= frame_limit_;
}

std::uint64_t CaptureProducer::unreported_gap() const noexcept {
  return channel_.counters.pending_gap.load(std::memory_order_acquire);
}

} // namespace rc
