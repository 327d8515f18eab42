// engine/latency/latency_session.cpp - see latency_session.hpp.
#include "engine/latency/latency_session.hpp"
#include "engine/util/realtime_scope.hpp"

#include "engine/capture/live_setup.hpp"
#include "engine/device/audio_stream.hpp"
#include "engine/latency/latency_sink.hpp"
#include "engine/playthrough/playback_sink.hpp"
#include "engine/playthrough/playthrough_session.hpp"
#include "engine/util/monotonic_clock.hpp"

#include <portaudio.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace rc {

namespace {

/// Frames the callback converts at a time (a larger callback is handled in pieces).
constexpr std::size_t chunk_frames = 4096;

/// What the latency callback touches; all of it exists before the stream starts.
struct LatencyContext {
  CaptureProducer& producer; // capture ring: {test signal, returned input}
  const MultiTone& signal;
  PlaybackFeeder* feeder; // ring path; null on the direct path
  int input_channels;
  int input_channel;
  int output_channels;
  float* scratch;             // 2 * chunk_frames floats
  std::uint64_t position = 0; // timeline frame of the next callback frame
};

extern "C" int latency_callback(const void* input, void* output, unsigned long frames,
                                const PaStreamCallbackTimeInfo*, PaStreamCallbackFlags flags,
                                void* user) {
  const RealtimeScope realtime; // the test guard checks everything below
  const std::int64_t start = monotonic_ns();
  auto* c = static_cast<LatencyContext*>(user);
  const auto* in = static_cast<const float*>(input);
  auto* out = static_cast<float*>(output);
  const auto stride = static_cast<std::size_t>(c->input_channels);
  bool done = false;
  // Capture side: pair each generated test frame with the frame that came back.
  for (std::size_t first = 0; first < frames; first += chunk_frames) {
    const std::size_t n = std::min<std::size_t>(chunk_frames, frames - first);
    for (std::size_t i = 0; i < n; ++i) {
      c->scratch[2 * i] = c->signal.sample(c->position + first + i);
      c->scratch[2 * i + 1] =
          in ? in[(first + i) * stride + static_cast<std::size_t>(c->input_channel)] : 0.0f;
    }
    done = c->producer.on_input(c->scratch, static_cast<std::uint32_t>(n),
                                static_cast<std::uint32_t>(flags), start);
  }
  // Output side: the signal itself (direct), or whatever the worker queued (ring).
  if (c->feeder) {
    c->feeder->on_output(out, static_cast<std::uint32_t>(frames), c->output_channels,
                         static_cast<std::uint32_t>(flags));
  } else {
    const auto channels = static_cast<std::size_t>(c->output_channels);
    for (std::size_t i = 0; i < frames; ++i)
      std::fill_n(out + i * channels, channels, c->signal.sample(c->position + i));
  }
  c->position += frames;
  return done ? paComplete : paContinue;
}

} // namespace

LatencyReport run_latency(const LatencyOptions& options, const LatencyProgress& on_measurement) {
  InputSetup in =
      resolve_input(options.input_device, options.rate, options.latency,
                    ChannelPick{options.input_channel, options.input_channel}, StreamUse::measure);
  if (options.input_channel >= in.device.max_input_channels)
    throw std::runtime_error("the device '" + in.device.name + "' has no input channel " +
                             std::to_string(options.input_channel + 1));
  const int rate = in.rate;
  const OutputSetup out =
      resolve_output(options.output_device, in.device.name, options.latency, StreamUse::measure);
  check_duplex(in, out, rate);
  const bool ring_path = options.path == LatencyPath::ring;
  const std::size_t buffer =
      options.buffer_frames > 0 ? options.buffer_frames : default_buffer_frames(options.period);
  if (ring_path && options.period > 0 && buffer < static_cast<std::size_t>(options.period))
    throw std::invalid_argument("--buffer must be at least one period");

  // Everything the callback touches is allocated here, before the stream exists.
  const MultiTone signal;
  ringbuf::SpscRing<StereoFrame> frames(default_ring_frames(rate));
  ringbuf::SpscRing<BlockHeader> headers(std::max<std::size_t>(256, frames.capacity() / 16));
  CaptureCounters counters;
  const CaptureChannel channel{frames, headers, counters};
  const auto frame_limit = static_cast<std::uint64_t>(std::llround(options.duration * rate));
  // The scratch holds {test, returned} pairs: channel 0 and 1 of a two-channel "device".
  CaptureProducer producer(channel, 2, ChannelPick{0, 1}, frame_limit);
  ringbuf::SpscRing<StereoFrame> playback(buffer + static_cast<std::size_t>(rate));
  ringbuf::SpscRing<UnderrunEvent> underrun_events(1024);
  PlaybackCounters playback_counters;
  PlaybackFeeder feeder(playback, underrun_events, playback_counters, buffer);
  std::vector<float> scratch(2 * chunk_frames);
  LatencyContext context{producer,
                         signal,
                         ring_path ? &feeder : nullptr,
                         in.parameters.channelCount,
                         options.input_channel,
                         out.parameters.channelCount,
                         scratch.data()};

  PlaybackSink playback_sink(playback, underrun_events, nullptr);
  LatencySink sink(ring_path ? &playback_sink : nullptr);
  EffectChain no_effects = live_chain({}, 0, false, rate, frames.capacity());
  CaptureConsumer consumer(channel, sink, frames.capacity(), {}, rate);
  playback_sink.attach_timing(consumer.timing());
  CaptureWorker worker(consumer, sink,
                       poll_interval_for(rate, options.period, 4, std::chrono::microseconds(250)));

  LatencyReport report;
  report.input_device = in.device.name;
  report.output_device = out.device.name;
  report.host_api = in.device.host_api;
  report.path = ring_path ? "ring" : "direct";
  report.rate = rate;
  report.buffer_frames = ring_path ? buffer : 0;
  CaptureReport& stream_report = report.stream;
  stream_report.device = in.device.name;
  stream_report.host_api = in.device.host_api;
  stream_report.rate = rate;
  stream_report.period = options.period;
  stream_report.ring_capacity = frames.capacity();

  auto take_new = [&] {
    for (const RoundTripEstimate& e : sink.take_estimates()) {
      report.measurements.push_back({double(e.end_frame) / rate, e});
      if (on_measurement) on_measurement(report.measurements.back());
    }
  };

  // The worker is on the audio path here: each period it must move input to the output.
  report.worker_realtime = worker.start(true);
  {
    AudioStream stream(&in.parameters, &out.parameters, rate, options.period, &latency_callback,
                       &context);
    const auto in = stream.input_latency(), out = stream.output_latency();
    if (in) report.reported_input_ms = *in * 1000.0;
    if (out) report.reported_output_ms = *out * 1000.0;
    if (in && out) report.reported_frames = (*in + *out) * rate;
    stream.start();
    const StopCause cause = watch_stream(stream, counters, frame_limit, worker, sink, take_new);
    stream_report.stop_reason = cause.reason;
    stream_report.error = cause.error;
    stream.stop();
  }
  finish_run(worker, consumer, counters, sink, nullptr, stream_report);
  take_new();
  playback_sink.collect_underruns();
  fill_capture_report(stream_report, counters, consumer, no_effects, worker.wake_delay_ns());
  const double period_us = stream_report.timing.period_us();
  report.period =
      options.period > 0 ? options.period : static_cast<int>(std::lround(period_us * rate / 1e6));
  report.underrun_events = playback_counters.underrun_events.load();
  report.underrun_frames = playback_counters.underrun_frames.load();
  summarize(report);
  return report;
}

void summarize(LatencyReport& r) {
  using Status = RoundTripEstimate::Status;
  std::vector<double> delays;
  std::size_t inverted = 0, ambiguous = 0, silent = 0;
  for (const LatencyMeasurement& m : r.measurements) {
    switch (m.estimate.status) {
    case Status::ok:
      delays.push_back(m.estimate.frames);
      break;
    case Status::inverted:
      delays.push_back(m.estimate.frames), ++inverted;
      break;
    case Status::ambiguous:
      ++ambiguous;
      break;
    case Status::no_signal:
      ++silent;
      break;
    }
  }
  r.valid = delays.size();
  const double rate = r.rate > 0 ? r.rate : 1;
  if (!delays.empty()) {
    double sum = 0;
    for (double d : delays) sum += d;
    r.round_trip_frames = sum / double(delays.size());
    double squares = 0;
    for (double d : delays) squares += (d - r.round_trip_frames) * (d - r.round_trip_frames);
    r.stddev_frames = std::sqrt(squares / double(delays.size()));
    const auto [lo, hi] = std::minmax_element(delays.begin(), delays.end());
    r.min_frames = *lo;
    r.max_frames = *hi;
    r.round_trip_ms = 1000.0 * r.round_trip_frames / rate;
  }
  r.ring_adds_frames = r.path == "ring" ? double(r.buffer_frames) : 0.0;

  const std::size_t total = r.measurements.size();
  if (total == 0) {
    r.status = "no signal";
    r.message = "no measurement completed: run for longer than " +
                std::to_string(5 * MultiTone::period / 4) + " frames plus the round trip";
  } else if (delays.empty() && silent >= ambiguous) {
    r.status = "no signal";
    r.message = "the test signal did not come back: connect the output to the input (a cable, "
                "or with JACK: jack_connect <client>:out_0 <client>:in_0)";
  } else if (ambiguous >= delays.size()) {
    r.status = "ambiguous";
    r.message = "the returned tones disagree in " + std::to_string(ambiguous) + " of " +
                std::to_string(total) +
                " measurements: noise, distortion or a changing path; no delay is reported";
    r.valid = 0;
  } else if (inverted * 2 > delays.size()) {
    r.status = "inverted polarity";
    r.message = "the signal comes back inverted (a wiring or phase-switch problem); the delay "
                "is still measured";
  } else {
    r.status = "ok";
    r.message =
        std::to_string(delays.size()) + " of " + std::to_string(total) + " measurements agree";
  }
}

} // namespace rc
