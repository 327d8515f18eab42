// app/latency_command.cpp - `ringcorder latency`: the measured round trip through a loopback.
#include "app/commands.hpp"
#include "app/live_args.hpp"
#include "app/report_files.hpp"

#include "app/signal_controls.hpp"
#include "engine/device/portaudio_session.hpp"
#include "engine/live/latency_session.hpp"
#include "engine/report/live_report_html.hpp"

#include <cstdio>
#include <iostream>
#include <memory>

namespace rc::app {

namespace {

struct LatencyArgs {
  StreamArgs stream; // -D, --in, --out, -r, -p, --latency
  std::string duration = "3";
  std::string channel = "1"; // --channel: the one input channel the loopback returns on
  // Old spellings that mean something else now; latency has no such option (hidden, refused).
  std::string old_c, old_t, old_b;
  std::string path = "direct";
  std::size_t buffer = 0;
  int repeat = 1;
  ReportArgs reports; // --stats-json (--json), --html, -q
};

LatencyOptions to_options(const LatencyArgs& a) {
  refuse_old_spelling(a.old_c, "-c is a channel count now (as in arecord and sox); latency "
                               "listens on one channel: use --channel " +
                                   a.old_c);
  refuse_old_spelling(a.old_t, "-t is the file type now, and latency writes no audio; for a "
                               "duration use -d " +
                                   a.old_t);
  refuse_old_spelling(a.old_b, "-b is the bit depth now, and latency writes no audio; for a "
                               "playback buffer use --buffer " +
                                   a.old_b);
  check_standard_output(a.reports);
  LatencyOptions o;
  o.input_device = input_device(a.stream);
  o.output_device = output_device(a.stream);
  o.rate = a.stream.rate;
  o.period = a.stream.period;
  o.latency = parse_latency(a.stream.latency);
  o.duration = parse_run_duration(a.duration);
  const auto channel = parse_channel_number(a.channel);
  if (!channel)
    usage_error("--channel: latency listens on one input channel, from 1 to 256, e.g. --channel 2 "
                "(got '" +
                a.channel + "')");
  o.input_channel = *channel;
  o.path = a.path == "ring" ? LatencyPath::ring : LatencyPath::direct;
  o.buffer_frames = a.buffer;
  o.repeat = a.repeat;
  refuse_problem(latency_options_problem(o)); // the engine's rules, as a usage error
  return o;
}

int run(const GlobalOptions& global, const LatencyArgs& args) {
  const LatencyOptions options = to_options(args);
  SignalControls controls({}); // before anything slow
  PortAudioSession audio(global.jack_name);

  LatencyProgress progress;
  if (!args.reports.quiet)
    progress = [](const LatencyMeasurement& m) {
      const RoundTripEstimate& e = m.estimate;
      if (e.periods != 1) return; // the longer windows are in the report
      if (e.has_delay())
        std::fprintf(stderr, "%8.2f s  %10.3f frames  +-%.4f  %-17s  level %+.1f dB  snr %.0f dB\n",
                     m.time, e.frames, e.error_frames, status_name(e.status), e.gain_db, e.snr_db);
      else if (e.status == RoundTripEstimate::Status::uncertain)
        std::fprintf(stderr,
                     "%8.2f s  %10s                    %-17s  level %+.1f dB  snr %.0f dB\n",
                     m.time, "-", status_name(e.status), e.gain_db, e.snr_db);
      else
        std::fprintf(stderr, "%8.2f s  %10s                    %s\n", m.time, "-",
                     status_name(e.status));
    };
  const LatencyReport report = run_latency(options, controls, progress);
  if (!write_reports(args.reports, report)) return exit_failure;
  if (!report.stream.error.empty()) {
    std::cerr << "ringcorder: " << report.stream.error << "\n";
    return exit_failure;
  }
  if (!report.measured()) {
    std::cerr << "ringcorder: " << status_name(report.status) << ": " << report.message << "\n";
    return exit_failure;
  }
  return exit_ok;
}

} // namespace

void add_latency_command(CLI::App& app, const std::string& name, const GlobalOptions& global,
                         Action& action) {
  auto args = std::make_shared<LatencyArgs>();
  auto* cmd = app.add_subcommand(
      name, "Measure the real round trip through a loopback (cable or JACK connection)");
  add_stream_options(*cmd, args->stream, Sides::duplex,
                     "Suggested device latency in seconds (default: the device's low one)");
  add_duration_option(*cmd, args->duration, "How long to measure (default: 3 s)")
      ->capture_default_str();
  cmd->add_option("--channel,--channels", args->channel,
                  "The input channel the loopback returns on, from 1 (default: 1)");
  cmd->add_option("-c", args->old_c)->group("");
  cmd->add_option("-t", args->old_t)->group("");
  cmd->add_option("-b", args->old_b)->group("");
  cmd->add_option("--path", args->path,
                  "direct: the device round trip; ring: through the capture ring, the worker "
                  "and the playback ring, as playthrough plays")
      ->check(CLI::IsMember({"direct", "ring"}))
      ->capture_default_str();
  add_buffer_option(*cmd, args->buffer,
                    "Ring path: playback target fill in frames (default: one period, or 512)");
  cmd->add_option("--repeat", args->repeat,
                  "Open the stream N times, measure each open, and report the spread")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  add_report_options(*cmd, args->reports, true, "Print nothing but errors", "--json");
  set_help_footer(
      *cmd,
      "The test signal goes to every output channel; connect an output to the input\n"
      "(with JACK: jack_connect ringcorder:out_0 ringcorder:in_0).\n"
      "Exit status 1 when no figure was measured (no signal, or uncertain: the signal came\n"
      "back too weak or noisy for 0.05 frame; the message says what to try).",
      {"ringcorder latency -p 128 --stats-json lat.json --html lat.html",
       "ringcorder latency --in 2 --out 2 --channel 3 -d 10 --repeat 5",
       "ringcorder latency --path ring --buffer 256"});
  cmd->callback([&global, &action, args] {
    (void)to_options(*args); // usage errors while CLI11 can still say "usage"
    action = [&global, args] { return run(global, *args); };
  });
}

} // namespace rc::app
