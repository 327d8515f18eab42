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
  std::string device;
  std::string in;
  std::string out;
  int rate = 0;
  int period = 0;
  std::string latency;
  std::size_t buffer = 0;
  std::size_t ring = 0;
  std::string duration;
  std::string channels;
  std::string record;
  std::string encoding;
  bool force = false;
  std::string stats_json;
  std::string html;
  bool quiet = false;
  bool no_dither = false;
  TapArgs tap; // --tap, --tap-slots, --tap-slot-frames
};

PlaythroughOptions to_options(const PlaythroughArgs& a, const std::vector<std::string>& effects) {
  check_standard_output(a.stats_json, a.html);
  PlaythroughOptions o;
  check_live_chain(effects); // now, so a typo or a file-only effect is a usage error
  if (!a.device.empty() && (!a.in.empty() || !a.out.empty()))
    usage_error("--device names both sides; use it or --in/--out, not both");
  o.input_device = a.in.empty() ? a.device : a.in;
  o.output_device = a.out.empty() ? a.device : a.out;
  o.effects = effects;
  o.dither = !a.no_dither;
  o.rate = a.rate;
  o.period = a.period;
  o.latency = parse_latency(a.latency);
  o.buffer_frames = a.buffer;
  if (a.period > 0 && a.buffer > 0 && a.buffer < static_cast<std::size_t>(a.period))
    usage_error("--buffer must be at least one period (" + std::to_string(a.period) +
                " frames): a smaller fill underruns on every callback");
  o.ring_frames = a.ring;
  o.duration = parse_duration_option(a.duration);
  o.channels = parse_channels(a.channels);
  o.record_path = a.record;
  o.overwrite = a.force;
  if (!a.record.empty()) {
    std::string error;
    refuse_directory(a.record);
    const auto format = output_format_for(a.record, a.encoding, error);
    if (!format) usage_error(error);
    o.format = *format;
  } else if (!a.encoding.empty()) {
    usage_error("--encoding applies to --record only");
  }
  o.tap_name = tap_name(a.tap);
  o.tap_geometry = {a.tap.slots, a.tap.slot_frames};
  return o;
}

int run(const GlobalOptions& global, const PlaythroughArgs& args) {
  const PlaythroughOptions options = to_options(args, global.effects);
  SignalControls controls({}); // before anything slow
  PortAudioSession audio(global.jack_name, tap_shm_need(options.tap_name, options.tap_geometry));

  LiveLine live(unfiltered_stderr()); // its terminal: redrawn in place
  CaptureStatusCallback on_status;
  if (!args.quiet) on_status = [&live](const CaptureStatus& s) { live.update(s); };
  const PlaythroughReport report = run_playthrough(options, controls, on_status);
  if (!args.quiet) live.finish();
  if (text_report_wanted(args.quiet, args.stats_json, args.html)) std::cout << to_text(report);
  if (!write_report_file(args.stats_json, to_json(report), "stats") ||
      !write_report_file(args.html, to_html(report), "HTML report"))
    return exit_failure;
  if (!report.capture.error.empty()) {
    std::cerr << "ringcorder: " << report.capture.error
              << (options.record_path.empty() ? "\n"
                                              : "; the recording so far was kept and finalized\n");
    return exit_failure;
  }
  return exit_ok;
}

} // namespace

void add_playthrough_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto args = std::make_shared<PlaythroughArgs>();
  auto* cmd = app.add_subcommand(
      "playthrough", "Monitor an input through the effect chain to an output (optionally record)");
  cmd->add_option("-d,--device", args->device, "Device for both sides: index or part of its name");
  cmd->add_option("--in", args->in, "Input device (default: the default input)");
  cmd->add_option("--out", args->out, "Output device (default: the input device's name)");
  cmd->add_option("-r,--rate", args->rate, "Sample rate in Hz (default: the input device's)")
      ->check(CLI::Range(1000, 768000));
  cmd->add_option("-p,--period", args->period, "Frames per callback (default: the host's choice)")
      ->check(CLI::Range(16, 65536));
  cmd->add_option("--latency", args->latency,
                  "Suggested device latency in seconds (default: the device's low one; on ALSA "
                  "at least " +
                      format_double("%g", alsa_monitor_buffer_s) + ")");
  cmd->add_option(
         "-b,--buffer", args->buffer,
         "Playback ring target fill in frames: the latency the ring path adds "
         "(default: one period; when the host chooses, 512 or its first callback's length)")
      ->check(CLI::Range(std::size_t{16}, std::size_t{1} << 20));
  cmd->add_option("--ring", args->ring, "Capture ring capacity in frames (default: about 2 s)")
      ->check(CLI::Range(std::size_t{64}, std::size_t{1} << 26));
  cmd->add_option("-t,--duration", args->duration, "Stop after this long: seconds or [[hh:]mm:]ss");
  cmd->add_option("-c,--channels", args->channels, "Input channels, from 1: 'a,b' or 'a'");
  cmd->add_option("--record", args->record, "Also record what is played to this file");
  cmd->add_option("-e,--encoding", args->encoding, "Recording: 16, 24, 32 or float");
  cmd->add_flag("-f,--force", args->force, "Overwrite an existing recording");
  cmd->add_option("--stats-json", args->stats_json, "Write the report as JSON to this file");
  cmd->add_option("--html", args->html, "Write the latency report as an HTML page with charts");
  cmd->add_flag("-q,--quiet", args->quiet, "Print nothing but errors");
  cmd->add_flag("--no-dither", args->no_dither, "No automatic dither for 16-bit recordings");
  add_tap_options(*cmd, args->tap);
  cmd->footer("Effects may follow the options, as in sox: playthrough -p 128 highpass 80 gain 3");
  cmd->callback([&global, &action, args] {
    (void)to_options(*args, global.effects); // usage errors while CLI11 can still say "usage"
    action = [&global, args] { return run(global, *args); };
  });
}

} // namespace rc::app
