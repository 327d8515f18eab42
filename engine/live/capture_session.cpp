// engine/live/capture_session.cpp - see capture_session.hpp.
#include "engine/live/capture_session.hpp"

#include "engine/capture/take_recorder.hpp"
#include "engine/device/audio_stream.hpp"
#include "engine/files/rotating_writer.hpp"
#include "engine/files/stream_writer.hpp"
#include "engine/live/live_setup.hpp"
#include "engine/util/monotonic_clock.hpp"
#include "engine/util/realtime_scope.hpp"

#include <portaudio.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <variant>

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

/// The same for a JACK input of our own: the cycle's frame counter comes with the block.
bool jack_capture_callback(const float* input, std::uint32_t frames, std::uint32_t flags,
                           std::uint32_t cycle_frame, void* user) noexcept {
  const RealtimeScope realtime; // the test guard checks everything below
  const std::int64_t start = monotonic_ns();
  auto* context = static_cast<CaptureContext*>(user);
  return context->producer.on_input(input, frames, flags, start, cycle_frame);
}

/// The input of a capture, opened: a PortAudio device, or JACK ports through a client of our own.
struct CaptureInput {
  std::unique_ptr<JackInputStream> jack; ///< With --port; null for a PortAudio device.
  InputSetup setup;
  DeviceClock clock;
};

/// Effects: finds the device, or opens our JACK client and finds the ports, and checks the
/// stream can run. Throws: std::runtime_error naming the problem.
CaptureInput open_input(const CaptureOptions& options) {
  CaptureInput in;
  if (!options.ports.empty()) {
    in.jack = std::make_unique<JackInputStream>(options.jack_name);
    in.setup = jack_port_input(*in.jack, options.ports, options.rate, options.period);
    in.clock = jack_port_clock(*in.jack);
    in.jack->connect(in.setup.ports); // before the file: a port that vanished refuses the run
    return in;
  }
  in.setup = resolve_input(options.device, options.rate, options.latency, options.channels,
                           StreamUse::record);
  if (Pa_IsFormatSupported(&in.setup.parameters, nullptr, in.setup.rate) != paFormatIsSupported)
    throw std::runtime_error(describe_unsupported(in.setup.device, in.setup.rate,
                                                  in.setup.parameters.channelCount, "record"));
  in.clock = open_device_clock(in.setup);
  return in;
}

/// Effects: starts `in`'s stream, has `rig` watch it until the run ends, and stops it; the
/// host's claimed latency and why the run ended go into `report`.
void run_stream(CaptureInput& in, CaptureContext& context, CaptureRig& rig, int period,
                LiveControls& controls, CaptureReport& report,
                const std::function<void()>& on_start, const std::function<void()>& each_tick) {
  StopCause cause;
  if (in.jack) {
    JackInputStream& stream = *in.jack;
    // Stopped on every way out, before the rig that `context` points into is destroyed.
    const std::unique_ptr<JackInputStream, void (*)(JackInputStream*)> stop_on_exit(
        &stream, [](JackInputStream* s) { s->stop(); });
    stream.start(&jack_capture_callback, &context);
    on_start();
    cause = rig.watch(stream, controls, each_tick);
    if (const auto s = stream.claimed_latency()) report.reported_input_latency_ms = *s * 1000.0;
    stream.stop();
  } else {
    AudioStream stream(&in.setup.parameters, nullptr, in.setup.rate, period, &capture_callback,
                       &context);
    if (const auto s = stream.input_latency()) report.reported_input_latency_ms = *s * 1000.0;
    stream.start();
    on_start();
    cause = rig.watch(stream, controls, each_tick);
    stream.stop();
  }
  report.stop_reason = cause.reason;
  report.error = cause.error;
}

/// Returns: the frames each split file holds (0: no split by time; a --split that rounds to no
/// frame at `rate` is none).
std::uint64_t split_frames_for(const CaptureOptions& options, int rate) {
  return static_cast<std::uint64_t>(std::llround(options.split_seconds * rate));
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

/// Where a capture writes: every frame into one file or a series of split files, or to standard
/// output, or only the takes of a triggered capture.
using CaptureTarget = std::variant<std::monostate, RotatingWriter, TakeRecorder, StreamWriter>;

/// Effects: creates the capture's file (or checks where its takes will go). Returns: the sink
/// the worker writes the whole timeline to. Throws: std::runtime_error (file exists, cannot be
/// created).
FrameSink& open_target(CaptureTarget& target, const CaptureOptions& options, int rate,
                       int channels) {
  if (writes_standard_output(options))
    return target.emplace<StreamWriter>(
        options.stream_fd, options.format, rate, channels,
        options.duration > 0 ? std::optional<std::uint64_t>(frame_limit_for(options.duration, rate))
                             : std::nullopt);
  if (options.armed)
    return target.emplace<TakeRecorder>(options.output_path, options.format, rate,
                                        options.overwrite, trigger_options(options, rate), channels,
                                        options.split_channels);
  return target.emplace<RotatingWriter>(options.output_path, options.format, rate,
                                        options.overwrite, split_frames_for(options, rate),
                                        options.split_bytes, channels, options.split_channels);
}

/// Answers what `controls` asks of a running capture: each new rotation starts the next file
/// (one asked for before the capture started has nothing to rotate), each signal trigger (all
/// of them so far, also those sent while the device opened) and each Enter starts or ends a take.
/// Controlling thread.
class CaptureRequests {
public:
  CaptureRequests(LiveControls& controls, CaptureTarget& target)
      : controls_(controls), target_(target), rotations_seen_(controls.rotations_requested()) {}

  /// Effects: forgets the rotations asked for so far: one asked while the device opened (after
  /// this object was made) has no audio to split off yet. Call once the stream has started.
  void stream_started() { rotations_seen_ = controls_.rotations_requested(); }

  void answer() {
    if (const unsigned n = controls_.rotations_requested(); n != rotations_seen_) {
      rotations_seen_ = n;
      if (auto* files = std::get_if<RotatingWriter>(&target_)) files->request_rotation();
    }
    if (auto* takes = std::get_if<TakeRecorder>(&target_)) {
      for (const unsigned asked = controls_.signal_triggers(); triggers_seen_ != asked;
           ++triggers_seen_)
        takes->request_toggle(ManualTrigger::signal);
      for (unsigned n = controls_.enter_presses(); n > 0; --n)
        takes->request_toggle(ManualTrigger::enter);
    }
  }

private:
  LiveControls& controls_;
  CaptureTarget& target_;
  unsigned rotations_seen_;
  unsigned triggers_seen_ = 0;
};

/// Returns: the live display's snapshot: the rig's, and the takes of a triggered capture.
CaptureStatus capture_status(CaptureRig& rig, const CaptureTarget& target) {
  CaptureStatus status = rig.status();
  if (const auto* takes = std::get_if<TakeRecorder>(&target)) {
    status.armed_mode = true;
    status.recording_take = takes->recording();
    status.takes = takes->takes_started();
  }
  return status;
}

/// Effects: adds what was written where to `report`: the split files (when there was more than
/// one, or splitting was asked for) or the takes.
void report_target(CaptureReport& report, const CaptureTarget& target,
                   const CaptureOptions& options, int rate) {
  if (const auto* files = std::get_if<RotatingWriter>(&target)) {
    report.output_path = files->files().front().path;
    if (split_frames_for(options, rate) > 0 || options.split_bytes > 0 || options.split_channels ||
        files->files().size() > 1)
      report.files = files->files();
  } else if (const auto* takes = std::get_if<TakeRecorder>(&target)) {
    report.output_path = options.output_path;
    report.takes = takes->takes();
  } else {
    report.output_path = options.output_path; // "-": standard output
  }
}

} // namespace

std::string capture_options_problem(const CaptureOptions& options) {
  if (options.pre_roll_seconds > max_pre_roll_seconds)
    return "--pre-roll is at most " + std::to_string(static_cast<int>(max_pre_roll_seconds)) +
           " seconds";
  if (options.armed && (options.split_seconds > 0 || options.split_bytes > 0))
    return "--split and --split-size cannot be combined with triggered takes";
  if (writes_standard_output(options)) {
    if (options.armed || options.split_seconds > 0 || options.split_bytes > 0 ||
        options.split_channels)
      return "standard output ('-') is one stream: --split, --split-size, --split-channels and "
             "triggered takes need files";
    if (std::string problem = stream_format_problem(options.format); !problem.empty())
      return problem;
  }
  if (!options.tap_name.empty())
    return tap_geometry_problem(options.tap_geometry, channels_at_most(options.channels));
  return {};
}

CaptureReport run_capture(const CaptureOptions& options, LiveControls& controls,
                          const CaptureStatusCallback& on_status) {
  if (const std::string problem = capture_options_problem(options); !problem.empty())
    throw std::invalid_argument(problem);
  // Open: the device and its clock, then everything the callback touches, before the stream
  // exists. What can refuse the run (device, effects, tap name) comes before any file is made.
  CaptureInput input = open_input(options);
  const InputSetup& in = input.setup;
  const int rate = in.rate;
  const int period = input.jack ? static_cast<int>(input.jack->period()) : options.period;
  RigOptions rig_options =
      input_rig_options(in, input.clock, period, options.ring_frames, options.duration);
  rig_options.poll_interval = poll_interval_for(rate, period);
  rig_options.stall = options.test_stall;
  const int channels = in.map.count;
  EffectChain chain = live_chain(options.effects, options.format.bits, options.dither, rate,
                                 CaptureRig::ring_capacity(rig_options), channels);
  const std::unique_ptr<TapPublisher> tap =
      open_tap(options.tap_name, rate, options.tap_geometry, channels);
  CaptureTarget target;
  FrameSink& sink = open_target(target, options, rate, channels);
  CaptureRig rig(rig_options, sink, chain_processor(chain));
  rig.consumer().set_observer(tap.get()); // the whole timeline, takes or not
  CaptureContext context{rig.producer(), input.clock};

  CaptureReport report;
  describe_input(report, in, input.clock);
  report.format = options.format.description;
  report.triggered = options.armed;
  report.pre_roll_seconds = options.pre_roll_seconds;
  report.trigger_level_dbfs = options.trigger_level_db;
  report.hold_seconds = options.hold_seconds;

  // Start, watch, stop.
  CaptureRequests requests(controls, target);
  requests.answer(); // triggers sent while the device opened apply at the first block
  rig.start();
  run_stream(
      input, context, rig, options.period, controls, report,
      // (a rotation asked in the microseconds since the start is forgotten too)
      [&] { requests.stream_started(); },
      [&] {
        requests.answer();
        if (on_status) on_status(capture_status(rig, target));
      });
  rig.stop(&sink, report);

  // Report.
  rig.report(report, &chain);
  report_target(report, target, options, rate);
  report.tap = tap_summary(tap.get()); // the tap tells its readers "finished" as it is destroyed
  return report;
}

} // namespace rc
