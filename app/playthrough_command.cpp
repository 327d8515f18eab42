// app/playthrough_command.cpp - `ringcorder playthrough`: input -> ring -> DSP worker -> ring ->
// output, optionally recorded.
#include "app/commands.hpp"
#include "app/live_args.hpp"
#include "app/live_line.hpp"
#include "app/report_files.hpp"

#include "app/signal_controls.hpp"
#include "engine/device/portaudio_session.hpp"
#include "engine/device/stderr_filter.hpp"
#include "engine/dsp/chain_parser.hpp"
#include "engine/live/live_setup.hpp"
#include "engine/live/playthrough_session.hpp"
#include "engine/report/live_report_html.hpp"
#include "engine/tap/tap_publisher.hpp"
#include "engine/util/text.hpp"

#include <iostream>
#include <memory>

namespace rc::app {

namespace {

struct PlaythroughArgs {
  StreamArgs stream; // -D, --in, --out, -r, -p, --latency
  std::size_t buffer = 0;
  std::size_t ring = 0;
  std::string duration;
  ChannelArgs channels; // -c, --channels
  std::string record;
  FileArgs file;      // the recording: -t, -e, -b, -f, --no-dither
  ReportArgs reports; // --stats-json, --html, -q
  TapArgs tap;        // --tap, --tap-slots, --tap-slot-frames
};

PlaythroughOptions to_options(const PlaythroughArgs& a, const std::vector<std::string>& effects) {
  check_standard_output(a.reports);
  PlaythroughOptions o;
  check_live_chain(effects); // now, so a typo or a file-only effect is a usage error
  o.input_device = input_device(a.stream);
  o.output_device = output_device(a.stream);
  o.effects = effects;
  o.dither = !a.file.no_dither;
  o.rate = a.stream.rate;
  o.period = a.stream.period;
  o.latency = parse_latency(a.stream.latency);
  o.buffer_frames = a.buffer;
  o.ring_frames = a.ring;
  o.duration = parse_run_duration(a.duration);
  o.channels = channel_map(a.channels);
  o.record_path = a.record;
  o.overwrite = a.file.force;
  if (!a.record.empty())
    o.format = file_format(a.record, a.file);
  else
    refuse_unused_encoding(a.file, "--record");
  o.tap_name = tap_name(a.tap);
  o.tap_geometry = tap_geometry(a.tap);
  refuse_problem(playthrough_options_problem(o)); // the engine's rules, as a usage error
  return o;
}

int run(const GlobalOptions& global, const PlaythroughArgs& args) {
  const PlaythroughOptions options = to_options(args, global.effects);
  SignalControls controls({}); // before anything slow
  PortAudioSession audio(global.jack_name, tap_shm_need(options.tap_name, options.tap_geometry,
                                                        channels_at_most(options.channels)));

  LiveLine live(unfiltered_stderr()); // its terminal: redrawn in place
  const PlaythroughReport report =
      run_playthrough(options, controls, live.updater(args.reports.quiet));
  live.finish();
  if (!write_reports(args.reports, report)) return exit_failure;
  if (!report.capture.error.empty()) {
    std::cerr << "ringcorder: " << report.capture.error
              << (options.record_path.empty() ? "\n"
                                              : "; the recording so far was kept and finalized\n");
    return exit_failure;
  }
  return exit_ok;
}

} // namespace

void add_playthrough_command(CLI::App& app, const std::string& name, const GlobalOptions& global,
                             Action& action) {
  auto args = std::make_shared<PlaythroughArgs>();
  args->file.b_was_buffer = true; // -b was --buffer here: a frame count is named so
  auto* cmd = app.add_subcommand(
      name, "Monitor an input through the effect chain to an output (optionally record)");
  add_stream_options(*cmd, args->stream, Sides::duplex,
                     "Suggested device latency in seconds (default: the device's low one; on "
                     "ALSA at least " +
                         format_double("%g", alsa_monitor_buffer_s) + ")");
  add_buffer_option(*cmd, args->buffer,
                    "Playback ring target fill in frames: the latency the ring path adds "
                    "(default: one period; when the host chooses, 512 or two of its first "
                    "callback's length)");
  add_ring_option(*cmd, args->ring, "Capture ring capacity in frames (default: about 2 s)");
  add_duration_option(*cmd, args->duration, "Stop after this long: seconds or [[hh:]mm:]ss");
  add_channel_options(*cmd, args->channels, "play through");
  cmd->add_option("--record", args->record, "Also record what is played to this file");
  add_file_options(*cmd, args->file, "the recording");
  add_report_options(*cmd, args->reports, true, "Print nothing but errors");
  add_tap_options(*cmd, args->tap);
  set_help_footer(*cmd,
                  "Effects may follow the options, as in sox (see 'ringcorder process --help').",
                  {"ringcorder playthrough -p 128 highpass 80 gain 3",
                   "ringcorder playthrough --in 2 --out 0 -d 10:00 --record set.flac",
                   "ringcorder playthrough --buffer 256 --stats-json - -q limit -1"});
  cmd->callback([&global, &action, args] {
    (void)to_options(*args, global.effects); // usage errors while CLI11 can still say "usage"
    action = [&global, args] { return run(global, *args); };
  });
}

} // namespace rc::app
