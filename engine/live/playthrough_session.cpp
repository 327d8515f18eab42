// engine/live/playthrough_session.cpp - see playthrough_session.hpp.
#include "engine/live/playthrough_session.hpp"
#include "engine/util/realtime_scope.hpp"

#include "engine/device/audio_stream.hpp"
#include "engine/files/sound_file_writer.hpp"
#include "engine/live/live_setup.hpp"
#include "engine/playthrough/playback_sink.hpp"
#include "engine/util/monotonic_clock.hpp"

#include <portaudio.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

namespace rc {

namespace {

/// What the duplex callback touches; all of it exists before the stream starts.
struct DuplexContext {
  CaptureProducer& producer;
  PlaybackFeeder& feeder;
  int output_channels;
  const DeviceClock& clock;
};

extern "C" int playthrough_callback(const void* input, void* output, unsigned long frames,
                                    const PaStreamCallbackTimeInfo* time,
                                    PaStreamCallbackFlags flags, void* user) {
  const RealtimeScope realtime; // the test guard checks everything below
  const std::int64_t start = monotonic_ns();
  auto* context = static_cast<DuplexContext*>(user);
  const auto n = static_cast<std::uint32_t>(frames);
  const bool done = context->producer.on_input(static_cast<const float*>(input), n,
                                               static_cast<std::uint32_t>(flags), start,
                                               context->clock.read(time));
  // The host skipped the output side too: the frames due meanwhile are never heard.
  if (const std::uint64_t gap = context->producer.last_host_gap(); gap > 0)
    context->feeder.skip_host_gap(gap);
  if (context->producer.last_block_made_up())
    context->feeder.on_made_up_input(static_cast<float*>(output), n, context->output_channels,
                                     static_cast<std::uint32_t>(flags));
  else
    context->feeder.on_output(static_cast<float*>(output), n, context->output_channels,
                              static_cast<std::uint32_t>(flags));
  return done ? paComplete : paContinue;
}

} // namespace

std::string playthrough_options_problem(const PlaythroughOptions& options) {
  if (std::string problem = playback_buffer_problem(options.buffer_frames, options.period);
      !problem.empty())
    return problem;
  if (!options.tap_name.empty())
    return tap_geometry_problem(options.tap_geometry, channels_at_most(options.channels));
  return {};
}

PlaythroughReport run_playthrough(const PlaythroughOptions& options, LiveControls& controls,
                                  const CaptureStatusCallback& on_status) {
  if (const std::string problem = playthrough_options_problem(options); !problem.empty())
    throw std::invalid_argument(problem);
  // Open: both devices, then everything the callback touches, before the stream exists.
  const InputSetup in = resolve_input(options.input_device, options.rate, options.latency,
                                      options.channels, StreamUse::monitor);
  const int rate = in.rate;
  const OutputSetup out = resolve_output(options.output_device, in.device.name, options.latency,
                                         StreamUse::monitor, in.map.count);
  check_duplex(in, out, rate);
  const std::size_t buffer =
      options.buffer_frames > 0 ? options.buffer_frames : default_buffer_frames(options.period);
  const DeviceClock clock = open_device_clock(in);
  RigOptions rig_options =
      input_rig_options(in, clock, options.period, options.ring_frames, options.duration);
  // A quarter period apart: the worker must move each callback's input to the playback ring
  // within one period, and a timer cannot be woken by the callback (see CaptureChannel).
  rig_options.poll_interval =
      poll_interval_for(rate, options.period, 4, std::chrono::microseconds(250));
  const bool recording = !options.record_path.empty();
  const int channels = in.map.count;
  EffectChain chain =
      live_chain(options.effects, recording ? options.format.bits : 0, options.dither, rate,
                 CaptureRig::ring_capacity(rig_options), channels);
  // --tap: before the recording, so a name a live capture publishes refuses the run first.
  const std::unique_ptr<TapPublisher> tap =
      open_tap(options.tap_name, rate, options.tap_geometry, channels);
  std::unique_ptr<SoundFileWriter> writer;
  if (recording)
    writer = std::make_unique<SoundFileWriter>(options.record_path, options.format, rate,
                                               options.overwrite, channels);
  PlaybackRig playback(buffer, rate,
                       /*grow_prime=*/options.buffer_frames == 0 && options.period == 0,
                       writer.get(), channels);
  CaptureRig rig(rig_options, playback.sink(), chain_processor(chain));
  rig.consumer().timing().set_output_side(true);
  playback.attach_timing(rig.consumer().timing());
  rig.consumer().set_observer(tap.get());
  DuplexContext context{rig.producer(), playback.feeder(), out.parameters.channelCount, clock};

  PlaythroughReport report;
  CaptureReport& capture = report.capture;
  describe_input(capture, in, clock);
  capture.output_path = options.record_path;
  capture.format = recording ? options.format.description : std::string();
  PlaybackReport& play = report.playback;
  play.output_device = out.device.name;

  // Start, watch, stop. The worker is on the audio path here: each period it must move input to
  // the output.
  play.worker_realtime = rig.start(true);
  {
    AudioStream stream(&in.parameters, &out.parameters, rate, options.period, &playthrough_callback,
                       &context);
    if (const auto s = stream.input_latency()) capture.reported_input_latency_ms = *s * 1000.0;
    if (const auto s = stream.output_latency()) play.reported_output_latency_ms = *s * 1000.0;
    stream.start();
    const StopCause cause = rig.watch(stream, controls, [&] {
      if (!on_status) return;
      CaptureStatus status = rig.status();
      status.playing = true;
      status.underrun_events = playback.counters().underrun_events.load(std::memory_order_relaxed);
      status.underrun_frames = playback.counters().underrun_frames.load(std::memory_order_relaxed);
      on_status(status);
    });
    capture.stop_reason = cause.reason;
    capture.error = cause.error;
    stream.stop();
  }
  rig.stop(writer.get(), capture);
  playback.stop();

  // Report.
  rig.report(capture, &chain);
  playback.report(play, rate);
  capture.tap = tap_summary(tap.get()); // the tap tells its readers "finished" as it is destroyed
  return report;
}

} // namespace rc
