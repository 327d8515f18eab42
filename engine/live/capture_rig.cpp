// engine/live/capture_rig.cpp - see capture_rig.hpp.
#include "engine/live/capture_rig.hpp"

#include "engine/util/monotonic_clock.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

namespace rc {

std::size_t default_ring_frames(int rate) { return static_cast<std::size_t>(rate) * 2; }

std::size_t CaptureRig::ring_capacity(const RigOptions& options) {
  return ringbuf::FrameRing::capacity_for(
      static_cast<std::size_t>(options.map.count),
      options.ring_frames > 0 ? options.ring_frames : default_ring_frames(options.rate));
}

CaptureRig::CaptureRig(const RigOptions& options, FrameSink& sink, BlockProcessor processor)
    : options_(options),
      frames_(static_cast<std::size_t>(options.map.count), ring_capacity(options)),
      headers_(options.header_slots > 0 ? options.header_slots
                                        : std::max<std::size_t>(256, frames_.capacity() / 16)),
      sink_(sink),
      producer_({frames_, headers_, counters_}, options.device_channels, options.map,
                options.frame_limit, options.clock_rule, options.rate, options.underflow),
      consumer_({frames_, headers_, counters_}, sink, frames_.capacity(), std::move(processor),
                options.rate),
      worker_(consumer_, sink, options.poll_interval, options.stall) {}

bool CaptureRig::start(bool realtime_priority) { return worker_.start(realtime_priority); }

StopCause CaptureRig::watch(const StreamState& stream, LiveControls& controls,
                            const std::function<void()>& each_tick) {
  DeviceSilenceWatch silence(device_silence_limit_ns(options_.rate, options_.period),
                             monotonic_ns());
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const bool silent_too_long =
        silence.lost(monotonic_ns(), counters_.callbacks.load(std::memory_order_relaxed));
    if (each_tick) each_tick();

    if (const auto stop = controls.stop_requested()) return {*stop, {}};
    if (counters_.frames_captured.load(std::memory_order_relaxed) >= options_.frame_limit)
      return {StopReason::duration, {}};
    if (worker_.failed())
      return sink_.reader_gone() ? StopCause{StopReason::reader_closed, {}}
                                 : StopCause{StopReason::error, sink_.error()};
    if (!stream.active() || silent_too_long)
      return {StopReason::error,
              "the audio device stopped delivering input (device lost or server gone)", true};
  }
}

bool CaptureRig::finish_timeline() {
  return consumer_.finish(producer_.unreported_gap(), producer_.unreported_host_gap());
}

void CaptureRig::stop(FrameSink* file, CaptureReport& report) {
  worker_.stop_and_join();
  auto fail = [&report](std::string error) {
    if (!report.error.empty()) return;
    report.stop_reason = StopReason::error;
    report.error = std::move(error);
  };
  // A reader that went away ended the run (or its last frames): the end, not an error.
  if (!worker_.failed() && !finish_timeline() && !sink_.reader_gone()) fail(sink_.error());
  if (file && !file->finalize() && !file->reader_gone()) fail(file->error());
}

void CaptureRig::report(CaptureReport& report, const EffectChain* chain) {
  const int rate = options_.rate > 0 ? options_.rate : 1;
  const CaptureCounters& c = counters_;
  report.rate = options_.rate;
  report.period = options_.period;
  report.ring_capacity = frames_.capacity();
  report.frames_captured = c.frames_captured.load();
  report.frames_written = consumer_.frames_written();
  report.seconds = double(report.frames_captured) / rate;
  report.overrun_events = c.overrun_events.load();
  report.overrun_frames = c.overrun_frames.load();
  report.overruns = consumer_.overruns();
  report.host_gap_events = c.host_gap_events.load();
  report.host_gap_frames = c.host_gap_frames.load();
  report.host_gaps = consumer_.host_gaps();
  report.clock_steps = c.clock_steps.load();
  report.uncertain_gap_events = c.uncertain_gap_events.load();
  report.uncertain_gap_frames = c.uncertain_gap_frames.load();
  report.input_overflow_flags = c.input_overflow_flags.load();
  report.input_underflow_flags = c.input_underflow_flags.load();
  report.host_inserted_frames = c.host_inserted_frames.load();
  report.callbacks = c.callbacks.load();
  report.callback_us = percentiles_of(consumer_.callback_ns(), 1e3);
  report.callback_us.max = double(c.callback_ns_max.load()) / 1e3;
  report.ring_fill_max = c.ring_fill_max.load();
  report.disk_latency_ms = percentiles_of(consumer_.disk_latency_ns(), 1e6);
  report.worker_wake_delay_us = percentiles_of(worker_.wake_delay_ns(), 1e3);
  const auto& totals = consumer_.meter().totals();
  const double metered = double(std::max<std::uint64_t>(1, consumer_.meter().frames()));
  report.peak_dbfs.clear();
  report.rms_dbfs.clear();
  report.clipped_samples = 0;
  for (const ChannelLevels& levels : totals) {
    report.peak_dbfs.push_back(to_dbfs(levels.peak));
    report.rms_dbfs.push_back(to_dbfs(std::sqrt(levels.sum_squares / metered)));
    report.clipped_samples += levels.clipped;
  }
  if (chain) {
    report.effects = chain->description();
    report.effect_clips = chain->clips();
  }
  report.timing = consumer_.timing();
}

CaptureStatus CaptureRig::status() {
  const CaptureCounters& c = counters_;
  CaptureStatus status;
  status.elapsed_seconds =
      double(c.frames_captured.load(std::memory_order_relaxed)) / options_.rate;
  status.peak.resize(static_cast<std::size_t>(channels()));
  consumer_.meter().take_live_peaks(status.peak);
  status.clipped_samples = consumer_.meter().live_clipped();
  status.ring_fill = double(frames_.size()) / double(frames_.capacity());
  status.overrun_events = c.overrun_events.load(std::memory_order_relaxed);
  status.overrun_frames = c.overrun_frames.load(std::memory_order_relaxed);
  status.host_gap_events = c.host_gap_events.load(std::memory_order_relaxed);
  status.host_gap_frames = c.host_gap_frames.load(std::memory_order_relaxed);
  status.xruns = c.input_overflow_flags.load(std::memory_order_relaxed);
  return status;
}

} // namespace rc
