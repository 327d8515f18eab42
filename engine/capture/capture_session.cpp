// engine/capture/capture_session.cpp - see capture_session.hpp.
#include "engine/capture/capture_session.hpp"
#include "engine/util/realtime_scope.hpp"

#include "engine/capture/live_setup.hpp"
#include "engine/capture/take_recorder.hpp"
#include "engine/device/audio_stream.hpp"
#include "engine/files/rotating_writer.hpp"
#include "engine/util/monotonic_clock.hpp"

#include <portaudio.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <thread>

namespace rc {

namespace {

/// What the capture callback touches; all of it exists before the stream starts.
struct CaptureContext {
  CaptureProducer& producer;
  const DeviceClock& clock;
};

extern "C" int capture_callback(const void* input, void*, unsigned long frames,
                                const PaStreamCallbackTimeInfo* time, PaStreamCallbackFlags flags,
                                void* user) {
  const RealtimeScope realtime; // the test guard checks everything below
  const std::int64_t start = monotonic_ns();
  auto* context = static_cast<CaptureContext*>(user);
  const bool done = context->producer.on_input(
      static_cast<const float*>(input), static_cast<std::uint32_t>(frames),
      static_cast<std::uint32_t>(flags), start, context->clock.read(time));
  return done ? paComplete : paContinue;
}

TriggerOptions trigger_options(const CaptureOptions& options, int rate) {
  TriggerOptions t;
  t.pre_roll_frames = static_cast<std::uint64_t>(std::llround(options.pre_roll_seconds * rate));
  if (options.trigger_level_db) {
    t.level = static_cast<float>(std::pow(10.0, *options.trigger_level_db / 20.0));
    t.hold_frames = std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(std::llround(options.hold_seconds * rate)));
  }
  return t;
}

} // namespace

CaptureReport run_capture(const CaptureOptions& options, LiveControls& controls,
                          const CaptureStatusCallback& on_status) {
  const InputSetup in = resolve_input(options.device, options.rate, options.latency,
                                      options.channels, StreamUse::record);
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
  const DeviceClock clock = open_device_clock(in);
  CaptureProducer producer(channel, device_channels, in.pick, frame_limit, clock.rule, rate,
                           input_underflow_for(options.period));
  CaptureContext context{producer, clock};

  EffectChain chain =
      live_chain(options.effects, options.format.bits, options.dither, rate, frames.capacity());
  const auto split_frames = static_cast<std::uint64_t>(std::llround(options.split_seconds * rate));
  // --tap: before any file, so a name a live capture publishes refuses the run with no file made.
  std::unique_ptr<TapPublisher> tap;
  if (!options.tap_name.empty())
    tap = std::make_unique<TapPublisher>(options.tap_name, rate, options.tap_geometry);
  // The worker's sink: every frame into rotating files, or only the takes of a triggered capture.
  std::unique_ptr<RotatingWriter> files;
  std::unique_ptr<TakeRecorder> takes;
  if (options.armed)
    takes = std::make_unique<TakeRecorder>(options.output_path, options.format, rate,
                                           options.overwrite, trigger_options(options, rate));
  else
    files = std::make_unique<RotatingWriter>(options.output_path, options.format, rate,
                                             options.overwrite, split_frames, options.split_bytes);
  FrameSink& sink = takes ? static_cast<FrameSink&>(*takes) : *files;
  CaptureConsumer consumer(channel, sink, frames.capacity(), chain_processor(chain), rate);
  consumer.set_observer(tap.get()); // the whole timeline, takes or not
  CaptureWorker worker(consumer, sink, poll_interval_for(rate, options.period), options.test_stall);

  CaptureReport report;
  report.output_path = files ? files->files().front().path : options.output_path;
  report.format = options.format.description;
  report.device = device->name;
  report.host_api = device->host_api;
  report.rate = rate;
  report.period = options.period;
  report.ring_capacity = frames.capacity();
  report.device_clock = clock.description;
  report.triggered = options.armed;
  report.pre_roll_seconds = options.pre_roll_seconds;
  report.trigger_level_dbfs = options.trigger_level_db;
  report.hold_seconds = options.hold_seconds;

  // Manual triggers: every signal trigger so far (also those sent while the device opened:
  // applied at the first block), and Enter. A rotation asked for before the stream starts has
  // nothing to rotate.
  unsigned rotations_seen = controls.rotations_requested();
  unsigned triggers_seen = 0;
  const auto take_signalled_triggers = [&] {
    for (const unsigned asked = controls.signal_triggers(); triggers_seen != asked; ++triggers_seen)
      takes->request_toggle(ManualTrigger::signal);
  };
  if (takes) take_signalled_triggers(); // before the first block
  worker.start();
  {
    AudioStream stream(&input, nullptr, rate, options.period, &capture_callback, &context);
    if (const auto s = stream.input_latency()) report.reported_input_latency_ms = *s * 1000.0;
    stream.start();

    const StopCause cause =
        watch_stream(stream, counters, frame_limit, worker, sink, controls, [&] {
          if (const unsigned n = controls.rotations_requested(); n != rotations_seen) {
            rotations_seen = n;
            if (files) files->request_rotation(); // a triggered capture has no file to rotate
          }
          if (takes) {
            take_signalled_triggers();
            for (unsigned n = controls.enter_presses(); n > 0; --n)
              takes->request_toggle(ManualTrigger::enter);
          }
          if (!on_status) return;
          CaptureStatus status = capture_status(counters, consumer, frames, rate);
          if (takes) {
            status.armed_mode = true;
            status.recording_take = takes->recording();
            status.takes = takes->takes_started();
          }
          on_status(status);
        });
    report.stop_reason = cause.reason;
    report.error = cause.error;
    stream.stop();
  }
  finish_run(worker, consumer, counters, sink, &sink, report);
  fill_capture_report(report, counters, consumer, chain, worker.wake_delay_ns());
  if (files && (split_frames > 0 || options.split_bytes > 0 || files->files().size() > 1))
    report.files = files->files();
  if (takes) report.takes = takes->takes();
  if (tap) // the tap tells its readers "finished" as it is destroyed, after the last block
    report.tap = TapSummary{tap->name(), tap->blocks_published(), tap->geometry().slots,
                            tap->geometry().slot_frames};
  return report;
}

} // namespace rc
