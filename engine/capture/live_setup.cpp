// engine/capture/live_setup.cpp - see live_setup.hpp.
#include "engine/capture/live_setup.hpp"

#include "engine/dsp/chain_parser.hpp"
#include "engine/util/monotonic_clock.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace rc {

double default_latency(const DeviceInfo& device, double low_default, StreamUse use) {
  if (!device.alsa_host) return low_default;
  switch (use) {
  case StreamUse::record:
    return std::max(low_default, alsa_record_buffer_s);
  case StreamUse::monitor:
    return std::max(low_default, alsa_monitor_buffer_s);
  case StreamUse::measure:
    break;
  }
  return low_default;
}

InputSetup resolve_input(const std::string& spec, int rate, double latency,
                         const std::optional<ChannelPick>& channels, StreamUse use) {
  std::string error;
  const std::optional<DeviceInfo> device = find_device(spec, DeviceDirection::input, error);
  if (!device) throw std::runtime_error(error);

  InputSetup setup{*device, {}, channels.value_or(ChannelPick{}), 0};
  setup.rate = rate > 0 ? rate : static_cast<int>(device->default_sample_rate);
  const int device_channels =
      device->max_input_channels == 1 && !channels ? 1 : setup.pick.channels_needed();
  if (device_channels > device->max_input_channels)
    throw std::runtime_error(
        "the device '" + device->name + "' has " + std::to_string(device->max_input_channels) +
        " input channel(s); cannot record channel " + std::to_string(device_channels));
  setup.parameters.device = device->index;
  setup.parameters.channelCount = device_channels;
  setup.parameters.sampleFormat = paFloat32;
  setup.parameters.suggestedLatency =
      latency > 0 ? latency : default_latency(*device, device->default_low_input_latency, use);
  return setup;
}

OutputSetup resolve_output(const std::string& spec, const std::string& fallback, double latency,
                           StreamUse use) {
  std::string error;
  const std::optional<DeviceInfo> device =
      find_device(spec.empty() ? fallback : spec, DeviceDirection::output, error);
  if (!device) throw std::runtime_error(error);
  OutputSetup setup{*device, {}};
  setup.parameters.device = device->index;
  setup.parameters.channelCount = std::min(2, device->max_output_channels);
  setup.parameters.sampleFormat = paFloat32;
  setup.parameters.suggestedLatency =
      latency > 0 ? latency : default_latency(*device, device->default_low_output_latency, use);
  return setup;
}

void check_duplex(const InputSetup& in, const OutputSetup& out, int rate) {
  if (Pa_IsFormatSupported(&in.parameters, &out.parameters, rate) != paFormatIsSupported)
    throw std::runtime_error(
        describe_unsupported(in.device, rate, in.parameters.channelCount, "run duplex with") +
        " and '" + out.device.name + "'");
}

std::string describe_unsupported(const DeviceInfo& device, int rate, int channels,
                                 const char* what) {
  return "the device '" + device.name + "' cannot " + what + " " + std::to_string(channels) +
         " channel(s) at " + std::to_string(rate) + " Hz (its default rate is " +
         std::to_string(static_cast<int>(device.default_sample_rate)) + " Hz)";
}

DeviceClock open_device_clock(const InputSetup& in) {
  DeviceClock clock;
  clock.rate = in.rate;
  if (in.device.host_api.find("JACK") != std::string::npos) {
    try {
      clock.jack = std::make_unique<JackFrameClock>("ringcorder-clock");
    } catch (const std::runtime_error&) {
      return clock; // PortAudio's JACK time is interpolated: no gaps rather than invented ones
    }
    clock.rule = DeviceClockRule::jack(clock.jack->period());
    clock.description = "JACK frame counter, exact in whole periods of " +
                        std::to_string(clock.jack->period()) + " frames";
    return clock;
  }
  clock.rule = DeviceClockRule::timestamps(in.rate);
  clock.description = in.device.host_api + " time stamps, from " +
                      std::to_string(clock.rule->threshold_frames) + " frames, to the frame";
  return clock;
}

std::size_t default_ring_frames(int rate) { return static_cast<std::size_t>(rate) * 2; }

std::chrono::microseconds poll_interval_for(int rate, int period, int divisor,
                                            std::chrono::microseconds floor) {
  const double period_us = 1e6 * (period > 0 ? period : 256) / rate;
  return std::chrono::microseconds(std::clamp<long>(static_cast<long>(period_us / divisor),
                                                    static_cast<long>(floor.count()), 10000));
}

EffectChain live_chain(const std::vector<std::string>& effects, int record_bits, bool dither,
                       int rate, std::size_t max_block) {
  EffectChain chain = parse_effect_chain(effects);
  if (const Effect* e = chain.first_offline_only())
    throw std::invalid_argument(e->description() +
                                ": works on files only (use ringcorder process)");
  if (record_bits > 0 && record_bits <= 16 && dither) chain.add_automatic_dither(record_bits);
  const AudioFormat out = chain.configure({2, double(rate), max_block});
  if (out.channels != 2)
    throw std::invalid_argument("the effects make " + std::to_string(out.channels) +
                                " channel(s); a live stream keeps two");
  return chain;
}

BlockProcessor chain_processor(EffectChain& chain) {
  return [&chain](std::span<StereoFrame> b) {
    // StereoFrame is two packed floats: the chain sees an ordinary interleaved stereo block.
    const AudioBlock in{reinterpret_cast<float*>(b.data()), b.size(), 2};
    const AudioBlock out = chain.process(in);
    if (out.data != in.data) std::memcpy(in.data, out.data, out.samples() * sizeof(float));
  };
}

void fill_capture_report(CaptureReport& report, const CaptureCounters& counters,
                         CaptureConsumer& consumer, const EffectChain& chain,
                         const LogHistogram& wake_delay_ns) {
  const int rate = report.rate > 0 ? report.rate : 1;
  report.frames_captured = counters.frames_captured.load();
  report.frames_written = consumer.frames_written();
  report.seconds = double(report.frames_captured) / rate;
  report.overrun_events = counters.overrun_events.load();
  report.overrun_frames = counters.overrun_frames.load();
  report.overruns = consumer.overruns();
  report.host_gap_events = counters.host_gap_events.load();
  report.host_gap_frames = counters.host_gap_frames.load();
  report.host_gaps = consumer.host_gaps();
  report.clock_steps = counters.clock_steps.load();
  report.uncertain_gap_events = counters.uncertain_gap_events.load();
  report.uncertain_gap_frames = counters.uncertain_gap_frames.load();
  report.input_overflow_flags = counters.input_overflow_flags.load();
  report.input_underflow_flags = counters.input_underflow_flags.load();
  report.host_inserted_frames = counters.host_inserted_frames.load();
  report.callbacks = counters.callbacks.load();
  report.callback_us = percentiles_of(consumer.callback_ns(), 1e3);
  report.callback_us.max = double(counters.callback_ns_max.load()) / 1e3;
  report.ring_fill_max = counters.ring_fill_max.load();
  report.disk_latency_ms = percentiles_of(consumer.disk_latency_ns(), 1e6);
  report.worker_wake_delay_us = percentiles_of(wake_delay_ns, 1e3);
  const auto& totals = consumer.meter().totals();
  const double metered = double(std::max<std::uint64_t>(1, consumer.meter().frames()));
  for (int c = 0; c < 2; ++c) {
    report.peak_dbfs[c] = to_dbfs(totals[c].peak);
    report.rms_dbfs[c] = to_dbfs(std::sqrt(totals[c].sum_squares / metered));
  }
  report.clipped_samples = totals[0].clipped + totals[1].clipped;
  report.effects = chain.description();
  report.effect_clips = chain.clips();
  report.timing = consumer.timing();
}

CaptureStatus capture_status(const CaptureCounters& counters, CaptureConsumer& consumer,
                             const ringbuf::SpscRing<StereoFrame>& frames, int rate) {
  CaptureStatus status;
  status.elapsed_seconds = double(counters.frames_captured.load(std::memory_order_relaxed)) / rate;
  status.peak = consumer.meter().take_live_peaks();
  status.clipped_samples = consumer.meter().live_clipped();
  status.ring_fill = double(frames.size()) / double(frames.capacity());
  status.overrun_events = counters.overrun_events.load(std::memory_order_relaxed);
  status.overrun_frames = counters.overrun_frames.load(std::memory_order_relaxed);
  status.host_gap_events = counters.host_gap_events.load(std::memory_order_relaxed);
  status.host_gap_frames = counters.host_gap_frames.load(std::memory_order_relaxed);
  status.xruns = counters.input_overflow_flags.load(std::memory_order_relaxed);
  return status;
}

void finish_run(CaptureWorker& worker, CaptureConsumer& consumer, const CaptureCounters& counters,
                const FrameSink& sink, FrameSink* file, CaptureReport& report) {
  worker.stop_and_join();
  auto fail = [&report](std::string error) {
    if (!report.error.empty()) return;
    report.stop_reason = StopReason::error;
    report.error = std::move(error);
  };
  if (!worker.failed() &&
      !consumer.finish(counters.pending_gap.load(std::memory_order_acquire),
                       counters.pending_host_gap.load(std::memory_order_acquire)))
    fail(sink.error());
  if (file && !file->finalize()) fail(file->error());
}

StopCause watch_stream(const AudioStream& stream, const CaptureCounters& counters,
                       std::uint64_t frame_limit, const CaptureWorker& worker,
                       const FrameSink& sink, LiveControls& controls,
                       const std::function<void()>& each_tick) {
  DeviceSilenceWatch silence(device_silence_limit_ns(stream.rate(), stream.period()),
                             monotonic_ns());
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const bool silent_too_long =
        silence.lost(monotonic_ns(), counters.callbacks.load(std::memory_order_relaxed));
    if (each_tick) each_tick();

    if (const auto stop = controls.stop_requested()) return {*stop, {}};
    if (counters.frames_captured.load(std::memory_order_relaxed) >= frame_limit)
      return {StopReason::duration, {}};
    if (worker.failed()) return {StopReason::error, sink.error()};
    if (!stream.active() || silent_too_long)
      return {StopReason::error,
              "the audio device stopped delivering input (device lost or server gone)", true};
  }
}

} // namespace rc
