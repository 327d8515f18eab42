// app/capture_command.cpp - `ringcorder capture OUT`: device -> ring -> worker -> file.
#include "app/commands.hpp"
#include "app/live_args.hpp"
#include "app/live_line.hpp"
#include "app/report_files.hpp"

#include "app/signal_controls.hpp"
#include "engine/device/jack_input_stream.hpp"
#include "engine/device/portaudio_session.hpp"
#include "engine/device/stderr_filter.hpp"
#include "engine/dsp/chain_parser.hpp"
#include "engine/live/capture_session.hpp"
#include "engine/live/live_setup.hpp"
#include "engine/report/live_report_html.hpp"
#include "engine/tap/tap_publisher.hpp"
#include "engine/util/parse_number.hpp"
#include "engine/util/text.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include <fcntl.h>
#include <unistd.h>

namespace rc::app {

namespace {

struct CaptureArgs {
  std::string output;
  StreamArgs stream; // -D, -r, -p, --latency
  std::size_t ring = 0;
  std::string duration;
  std::string split; // --split: seconds or [[hh:]mm:]ss
  std::uint64_t split_size = 0;
  bool split_channels = false;    // --split-channels
  bool trigger = false;           // --trigger: wait for Enter or SIGUSR1
  std::string pre_roll;           // --pre-roll: seconds or [[hh:]mm:]ss
  std::string trigger_level;      // --trigger-level: dBFS
  std::string hold;               // --hold: seconds or [[hh:]mm:]ss
  ChannelArgs channels;           // -c, --channels
  std::vector<std::string> ports; // --port PATTERN, repeatable: JACK ports, a channel each
  FileArgs file;                  // -t, -e, -b, -f, --no-dither
  ReportArgs reports;             // --stats-json, --html, -q
  std::string test_stall;         // hidden: "AT_FRAME,MILLISECONDS"
  TapArgs tap;                    // --tap, --tap-slots, --tap-slot-frames
};

// --trigger, --pre-roll, --trigger-level, --hold: any of the first three arms the capture.
void set_trigger_options(const CaptureArgs& a, CaptureOptions& o) {
  o.pre_roll_seconds = parse_duration_option(a.pre_roll, "--pre-roll");
  if (!a.trigger_level.empty()) {
    std::string level = a.trigger_level; // "-40", and as sox users write it, "-40dB" or "-40d"
    for (const char* unit : {"dB", "db", "d"})
      if (level.size() > std::strlen(unit) && level.ends_with(unit)) {
        level.resize(level.size() - std::strlen(unit));
        break;
      }
    const auto db = parse_finite(level);
    if (!db || *db > 0 || *db < -200)
      usage_error("--trigger-level takes a level in dBFS from -200 to 0, e.g. -40");
    o.trigger_level_db = *db;
  }
  if (!a.hold.empty()) {
    if (!o.trigger_level_db) usage_error("--hold needs --trigger-level");
    o.hold_seconds = parse_duration_option(a.hold, "--hold");
  }
  o.armed = a.trigger || !a.pre_roll.empty() || o.trigger_level_db.has_value();
}

// --port: JACK ports by name, as jack_capture. They are the input and its channels, so the
// device and channel options cannot come with them.
void set_port_options(const CaptureArgs& a, CaptureOptions& o) {
  if (a.ports.empty()) return;
  for (const std::string& pattern : a.ports)
    if (pattern.empty()) usage_error("--port takes a JACK port name or pattern, e.g. 'system:*'");
  if (!a.stream.device.empty())
    usage_error("--port names the JACK ports to record; leave -D/--device out");
  if (!a.channels.count.empty() || !a.channels.list.empty())
    usage_error("--port sets the channels, one per matching port; leave -c and --channels out");
  if (!a.stream.latency.empty())
    usage_error("--port records at the JACK server's period; leave --latency out");
  o.ports = a.ports;
}

// Turns validated arguments into engine options; usage errors throw CLI::ValidationError.
CaptureOptions to_options(const CaptureArgs& a, const std::vector<std::string>& effects) {
  check_standard_output(a.reports);
  const bool to_stdout = is_standard_output(a.output);
  if (to_stdout && (is_standard_output(a.reports.stats_json) || is_standard_output(a.reports.html)))
    usage_error("standard output carries the audio ('-'): write the report to a file");
  FileArgs file = a.file; // '-' is WAV unless -t says otherwise, as arecord writes
  if (to_stdout && file.type.empty()) file.type = "wav";
  CaptureOptions o;
  check_live_chain(effects); // now, so a typo or a file-only effect is a usage error
  o.effects = effects;
  o.dither = !a.file.no_dither;
  o.output_path = a.output;
  o.format = file_format(a.output, file);
  o.overwrite = a.file.force;
  o.device = input_device(a.stream);
  o.rate = a.stream.rate;
  o.period = a.stream.period;
  o.latency = parse_latency(a.stream.latency);
  o.ring_frames = a.ring;
  o.duration = parse_run_duration(a.duration);
  o.split_seconds = parse_duration_option(a.split, "--split");
  o.split_bytes = a.split_size;
  o.split_channels = a.split_channels;
  o.channels = channel_map(a.channels);
  set_port_options(a, o);
  set_trigger_options(a, o);
  if (!a.test_stall.empty()) {
    const std::size_t comma = a.test_stall.find(',');
    const auto at = parse_finite(a.test_stall.substr(0, comma));
    const auto ms =
        comma == std::string::npos ? std::nullopt : parse_finite(a.test_stall.substr(comma + 1));
    if (!at || !ms || *at < 0 || *ms < 0) usage_error("--test-stall takes AT_FRAME,MILLISECONDS");
    o.test_stall = WorkerStall{static_cast<std::uint64_t>(*at),
                               std::chrono::milliseconds(static_cast<long>(*ms))};
  }
  o.tap_name = tap_name(a.tap);
  o.tap_geometry = tap_geometry(a.tap);
  refuse_problem(capture_options_problem(o)); // the engine's rules, as a usage error
  return o;
}

int run(const GlobalOptions& global, const CaptureArgs& args) {
  CaptureOptions options = to_options(args, global.effects);
  SignalControls controls({.rotate = true, .trigger = options.armed}); // before anything slow
  if (writes_standard_output(options)) {
    // The audio keeps standard output's descriptor for itself; descriptor 1 becomes standard
    // error, so nothing else (the text report, a library's chatter) can corrupt the stream. A
    // reader that goes away is the end of the run (EPIPE), not a signal that kills it.
    std::signal(SIGPIPE, SIG_IGN);
    options.stream_fd = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (options.stream_fd < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
      std::cerr << "ringcorder: cannot set up standard output for the audio: "
                << std::strerror(errno) << "\n";
      return exit_failure;
    }
  }
  options.jack_name = global.jack_name;
  const ShmNeed tap_need =
      tap_shm_need(options.tap_name, options.tap_geometry, channels_at_most(options.channels));
  // JACK ports by name need no PortAudio, whose JACK client would take our name.
  std::optional<PortAudioSession> audio;
  if (options.ports.empty())
    audio.emplace(global.jack_name, tap_need);
  else
    prepare_jack_client(tap_need);

  LiveLine live(unfiltered_stderr()); // its terminal: redrawn in place
  const CaptureReport report = run_capture(options, controls, live.updater(args.reports.quiet));
  live.finish();
  if (!write_reports(args.reports, report)) return exit_failure;
  if (!report.error.empty()) {
    std::cerr << "ringcorder: " << report.error << "; the file so far was kept and finalized\n";
    return exit_failure;
  }
  return exit_ok;
}

} // namespace

void add_capture_command(CLI::App& app, const std::string& name, const GlobalOptions& global,
                         Action& action) {
  auto args = std::make_shared<CaptureArgs>();
  auto* cmd = app.add_subcommand(name, "Record from an audio input to a file");
  cmd->add_option("OUT", args->output,
                  "Output file; format from the extension (wav flac ogg aiff caf w64 rf64) "
                  "or -t; '-': standard output (WAV, or raw with -t raw)")
      ->required();
  add_stream_options(*cmd, args->stream, Sides::input,
                     "Suggested input latency in seconds (default: the device's low one; on "
                     "ALSA, such as PipeWire's, at least " +
                         format_double("%g", alsa_record_buffer_s) +
                         ": a buffer shorter than the graph's quantum loses frames)");
  add_ring_option(*cmd, args->ring,
                  "Ring capacity in frames, rounded up to a power of two (default: about 2 s)");
  add_duration_option(*cmd, args->duration, "Stop after this long: seconds or [[hh:]mm:]ss");
  cmd->add_option("--split", args->split,
                  "Start a new file every this long, seamlessly: seconds or [[hh:]mm:]ss; OUT "
                  "may hold strftime fields and %n (file number; default: -%n before the "
                  "extension)");
  cmd->add_option("--split-size", args->split_size,
                  "Start a new file, seamlessly, before one would exceed this many bytes "
                  "(uncompressed formats)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 62));
  cmd->add_flag("--split-channels", args->split_channels,
                "A mono file per channel, all sample-aligned: %c in OUT is the channel number "
                "(else -%c goes before the extension: take-1.wav, take-2.wav...)");
  cmd->add_flag("--trigger", args->trigger,
                "Wait, armed, for Enter (on a terminal) or SIGUSR1 to start a take and again to "
                "end it; each take is its own file (OUT as for --split)");
  cmd->add_option("--pre-roll", args->pre_roll,
                  "Start each take with this much audio from before its trigger (implies "
                  "--trigger): seconds or [[hh:]mm:]ss, at most " +
                      format_double("%g", max_pre_roll_seconds));
  cmd->add_option("--trigger-level", args->trigger_level,
                  "Also start a take when a sample reaches this peak in dBFS, e.g. -40 (implies "
                  "--trigger)");
  cmd->add_option("--hold", args->hold,
                  "End a level-started take after this much audio below the level (default 2)");
  add_channel_options(*cmd, args->channels, "record");
  cmd->add_option("--port", args->ports,
                  "JACK: record these output ports, a channel each, through a client of our own "
                  "(repeatable; wildcards * and ?, e.g. 'system:capture_*'; each pattern's ports "
                  "in natural order)")
      ->type_name("PATTERN")
      ->allow_extra_args(false);
  add_file_options(*cmd, args->file, "the output file");
  add_report_options(*cmd, args->reports, true, "Print nothing but errors");
  add_tap_options(*cmd, args->tap);
  set_help_footer(*cmd,
                  "Effects may follow the options, as in sox (see 'ringcorder process --help'; "
                  "norm,\nrate and fade-outs work on files only). SIGUSR2 starts the next split "
                  "file.",
                  {"ringcorder capture -D system take.flac -d 60 highpass 80 gain 6",
                   "ringcorder capture 'log-%Y%m%d-%H%M%S.wav' --split 1:00:00 --stats-json "
                   "log.json",
                   "ringcorder capture takes.wav --pre-roll 2 --trigger-level -40"});
  cmd->add_option("--test-stall", args->test_stall, "Test only: stall the worker")->group("");
  cmd->callback([&global, &action, args] {
    (void)to_options(*args, global.effects); // usage errors while CLI11 can still say "usage"
    action = [&global, args] { return run(global, *args); };
  });
}

} // namespace rc::app
