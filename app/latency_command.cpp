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
  std::string device;
  std::string in;
  std::string out;
  int rate = 0;
  int period = 0;
  std::string latency;
  std::string duration = "3";
  int channel = 1;
  std::string path = "direct";
  std::size_t buffer = 0;
  int repeat = 1;
  std::string json;
  std::string html;
  bool quiet = false;
};

LatencyOptions to_options(const LatencyArgs& a) {
  check_standard_output(a.json, a.html);
  LatencyOptions o;
  if (!a.device.empty() && (!a.in.empty() || !a.out.empty()))
    usage_error("--device names both sides; use it or --in/--out, not both");
  o.input_device = a.in.empty() ? a.device : a.in;
  o.output_device = a.out.empty() ? a.device : a.out;
  o.rate = a.rate;
  o.period = a.period;
  o.latency = parse_latency(a.latency);
  o.duration = parse_duration_option(a.duration);
  if (o.duration <= 0) usage_error("--duration takes a positive time such as 3 or 2.5 (got '')");
  o.input_channel = a.channel - 1;
  o.path = a.path == "ring" ? LatencyPath::ring : LatencyPath::direct;
  if (o.path != LatencyPath::ring && a.buffer > 0)
    usage_error("--buffer applies to --path ring only");
  if (a.period > 0 && a.buffer > 0 && a.buffer < static_cast<std::size_t>(a.period))
    usage_error("--buffer must be at least one period (" + std::to_string(a.period) + " frames)");
  o.buffer_frames = a.buffer;
  o.repeat = a.repeat;
  return o;
}

int run(const GlobalOptions& global, const LatencyArgs& args) {
  const LatencyOptions options = to_options(args);
  SignalControls controls({}); // before anything slow
  PortAudioSession audio(global.jack_name);

  LatencyProgress progress;
  if (!args.quiet)
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
  if (text_report_wanted(args.quiet, args.json, args.html)) std::cout << to_text(report);
  if (!write_report_file(args.json, to_json(report), "JSON report") ||
      !write_report_file(args.html, to_html(report), "HTML report"))
    return exit_failure;
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

void add_latency_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto args = std::make_shared<LatencyArgs>();
  auto* cmd = app.add_subcommand(
      "latency", "Measure the real round trip through a loopback (cable or JACK connection)");
  cmd->add_option("-d,--device", args->device, "Device for both sides: index or part of its name");
  cmd->add_option("--in", args->in, "Input device (default: the default input)");
  cmd->add_option("--out", args->out, "Output device (default: the input device's name)");
  cmd->add_option("-r,--rate", args->rate, "Sample rate in Hz (default: the input device's)")
      ->check(CLI::Range(1000, 768000));
  cmd->add_option("-p,--period", args->period, "Frames per callback (default: the host's choice)")
      ->check(CLI::Range(16, 65536));
  cmd->add_option("--latency", args->latency, "Suggested device latency in seconds");
  cmd->add_option("-t,--duration", args->duration, "How long to measure (default: 3 s)")
      ->capture_default_str();
  cmd->add_option("-c,--channel", args->channel, "Input channel the loopback returns on, from 1")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--path", args->path,
                  "direct: the device round trip; ring: through the capture ring, the worker "
                  "and the playback ring, as playthrough plays")
      ->check(CLI::IsMember({"direct", "ring"}))
      ->capture_default_str();
  cmd->add_option("-b,--buffer", args->buffer,
                  "Ring path: playback target fill in frames (default: one period, or 512)")
      ->check(CLI::Range(std::size_t{16}, std::size_t{1} << 20));
  cmd->add_option("--repeat", args->repeat,
                  "Open the stream N times, measure each open, and report the spread")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cmd->add_option("--json", args->json, "Write the report as JSON to this file");
  cmd->add_option("--html", args->html, "Write the report as an HTML page with charts");
  cmd->add_flag("-q,--quiet", args->quiet, "Print nothing but errors");
  cmd->footer(
      "The test signal goes to every output channel; connect an output to the input\n"
      "(with JACK: jack_connect ringcorder:out_0 ringcorder:in_0).\n"
      "Exit status 1 when no figure was measured (no signal, or uncertain: the signal came\n"
      "back too weak or noisy for 0.05 frame; the message says what to try).");
  cmd->callback([&global, &action, args] {
    (void)to_options(*args); // usage errors while CLI11 can still say "usage"
    action = [&global, args] { return run(global, *args); };
  });
}

} // namespace rc::app
