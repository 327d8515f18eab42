// engine/capture/capture_consumer.hpp - the worker half of capture: rings -> meter -> sink.
#pragma once

#include "engine/capture/capture_producer.hpp"
#include "engine/capture/stream_timing.hpp"
#include "engine/core/block_observer.hpp"
#include "engine/core/frame_sink.hpp"
#include "engine/dsp/level_meter.hpp"
#include "engine/stats/log_histogram.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

namespace rc {

/// Processing applied to each block, in place, before metering and writing (the DSP chain);
/// may be empty.
using BlockProcessor = std::function<void(Frames)>;

/// Pops headers and frames, rebuilds the timeline (silence for every gap), processes, meters
/// and writes. Worker thread only, except the members marked otherwise.
class CaptureConsumer {
public:
  /// `max_block`: the largest block a header can announce (the frame ring's capacity);
  /// `rate`: the timeline's frames per second (for the timing report). Frames have the frame
  /// ring's channel count, which `sink` must take.
  CaptureConsumer(CaptureChannel channel, FrameSink& sink, std::size_t max_block,
                  BlockProcessor processor = {}, int rate = 48000);

  /// Controlling thread, before the worker starts. Effects: `observer` (null: none) sees every
  /// block and gap written from now on; it must outlive the worker.
  void set_observer(BlockObserver* observer) noexcept { observer_ = observer; }

  /// Effects: handles every header available now. Returns: false once a write has failed.
  bool drain();
  /// Effects: after the last headers, writes `trailing_gap` frames of silence for drops and then
  /// `trailing_host_gap` for host gaps no header announced (call after the stream stopped).
  /// Returns: false on a write error.
  bool finish(std::uint64_t trailing_gap, std::uint64_t trailing_host_gap = 0);

  /// Returns: the overrun events, merged where consecutive (the first StreamTiming::max_listed).
  [[nodiscard]] const std::vector<OverrunEvent>& overruns() const noexcept { return overruns_; }
  /// Returns: the host gaps, merged where consecutive (the first StreamTiming::max_listed).
  [[nodiscard]] const std::vector<OverrunEvent>& host_gaps() const noexcept { return host_gaps_; }
  /// Returns: callback run time samples (ns), one per header.
  [[nodiscard]] const LogHistogram& callback_ns() const noexcept { return callback_ns_; }
  /// Returns: time from the start of the callback to the end of the file write (ns), per block.
  [[nodiscard]] const LogHistogram& disk_latency_ns() const noexcept { return disk_latency_ns_; }
  /// Returns: the frame ring fill after each callback (frames).
  [[nodiscard]] const LogHistogram& ring_fill() const noexcept { return ring_fill_; }
  /// Returns: callback jitter, ring fill over time and problems with their times.
  [[nodiscard]] StreamTiming& timing() noexcept { return timing_; }
  /// Returns: the meter over everything written.
  [[nodiscard]] LevelMeter& meter() noexcept { return meter_; }
  /// Any thread. Returns: frames handed to the sink so far (audio and gap silence).
  [[nodiscard]] std::uint64_t frames_written() const noexcept {
    return frames_written_.load(std::memory_order_relaxed);
  }

private:
  bool handle(const BlockHeader& header);
  /// `kind`: XrunKind::overrun or XrunKind::host_gap.
  bool write_gap(XrunKind kind, std::uint64_t position, std::uint64_t frames);
  /// Effects: after a failed sink write, takes the sink's own count of frames appended. Returns
  /// false.
  bool fail_write();

  CaptureChannel channel_;
  FrameSink& sink_;
  BlockProcessor processor_;
  int channels_;
  std::vector<float> scratch_;
  std::vector<OverrunEvent> overruns_;
  std::vector<OverrunEvent> host_gaps_;
  LogHistogram callback_ns_;
  LogHistogram disk_latency_ns_;
  LogHistogram ring_fill_;
  LevelMeter meter_;
  StreamTiming timing_;
  std::atomic<std::uint64_t> frames_written_{0};
  BlockObserver* observer_ = nullptr;
  bool failed_ = false;
};

} // namespace rc
