// engine/capture/capture_session.cpp - see capture_session.hpp.
#include "engine/capture/capture_session.hpp"
#include "engine/util/realtime_scope.hpp"

#include "engine/capture/live_setup.hpp"
#include "engine/device/audio_stream.hpp"
#include "engine/files/rotating_writer.hpp"
#include "engine/util/monotonic_clock.hpp"
#include "engine/util/stop_signals.hpp"

#include <portaudio.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace rc {

namespace {

extern "C" int capture_callback(const void* input, void*, unsigned long frames,
                                const PaStreamCallbackTimeInfo*, PaStreamCallbackFlags flags,
                                void* user) {
  const RealtimeScope realtime; // the test guard checks everything below
  const std::int64_t start = monotonic_ns();
  auto* producer = static_cast<CaptureProducer*>(user);
  const bool done =
      producer->on_input(static_cast<const float*>(input), static_cast<std::uint32_t>(frames),
                         static_cast<std::uint32_t>(flags), start);
  return done ? paComplete : paContinue;
}

} // namespace

CaptureReport run_capture(const CaptureOptions& options, const CaptureStatusCallback& on_status) {
  const InputSetup in =
      resolve_input(options.device, options.rate, options.latency, options.channels);
  const int rate = in.rate;
  const DeviceInfo* device = &in.device;
  const int device_channels = in.parameters.channelCount;
  const PaStreamParameters input = in.parameters;
  if (Pa_IsFormatSupported(&input, nullptr, rate) != paFormatIsSupported)
    throw std::runtime_error(describe_unsupported(*device, rate, device_channels, "record"));

  // Everything the callback touches is allocated here, before the stream exists.
  const std::size_t ring_frames =
      options.ring_frames > 0 ? options.ring_frames : default_ring_frames(rate);
  ringbuf::SpscRing<StereoFrame> frames(ring_frames);
  ringbuf::SpscRing<BlockHeader> headers(std::max<std::size_t>(256, frames.capacity() / 16));
  CaptureCounters counters;
  const CaptureChannel channel{frames, headers, counters};
  const std::uint64_t frame_limit =
      options.duration > 0 ? static_cast<std::uint64_t>(std::llround(options.duration * rate))
                           : std::numeric_limits<std::uint64_t>::max();
  CaptureProducer producer(channel, device_channels, in.pick, frame_limit);

  EffectChain chain =
      live_chain(options.effects, options.format.bits, options.dither, rate, frames.capacity());
  const auto split_frames = static_cast<std::uint64_t>(std::llround(options.split_seconds * rate));
  RotatingWriter writer(options.output_path, options.format, rate, options.overwrite, split_frames,
                        options.split_bytes);
  CaptureConsumer consumer(channel, writer, frames.capacity(), chain_processor(chain), rate);
  CaptureWorker worker(consumer, writer, poll_interval_for(rate, options.period),
                       options.test_stall);

  CaptureReport report;
  report.output_path = writer.files().front().path;
  report.format = options.format.description;
  report.device = device->name;
  report.host_api = device->host_api;
  report.rate = rate;
  report.period = options.period;
  report.ring_capacity = frames.capacity();

  worker.start();
  {
    AudioStream stream(&input, nullptr, rate, options.period, &capture_callback, &producer);
    report.reported_input_latency_ms = stream.input_latency() * 1000.0;
    stream.start();

    install_rotate_signal();
    unsigned rotations_seen = rotate_requests();
    const StopCause cause = watch_stream(stream, counters, frame_limit, worker, writer, [&] {
      if (const unsigned n = rotate_requests(); n != rotations_seen) {
        rotations_seen = n;
        writer.request_rotation();
      }
      if (!on_status) return;
      CaptureStatus status = capture_status(counters, consumer, frames, rate);
      on_status(status);
    });
    report.stop_reason = cause.reason;
    report.error = cause.error;
    stream.stop();
  }
  finish_run(worker, consumer, counters, writer, &writer, report);
  fill_capture_report(report, counters, consumer, chain, worker.wake_delay_ns());
  if (split_frames > 0 || options.split_bytes > 0 || writer.files().size() > 1)
    report.files = writer.files();
  return report;
}

} // namespace rc
