// app/tap_command.cpp - `ringcorder tap [NAME]`: live meters of a running capture, or a copy of
// it in a file, from its shared-memory tap, in another process.
#include "app/commands.hpp"
#include "app/live_args.hpp"
#include "app/report_files.hpp"

#include "app/live_line.hpp"
#include "app/signal_controls.hpp"
#include "engine/dsp/level_meter.hpp"
#include "engine/live/tap_session.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

#include <unistd.h>

namespace rc::app {

namespace {

struct TapCommandArgs {
  std::string name = default_tap_name;
  std::string output;
  FileArgs file; // the copy: -t, -e, -b, -f
  std::string duration;
  ReportArgs reports;    // --stats-json, -q
  int test_delay_ms = 0; // hidden: sleep after every block (a deliberately slow tap)
};

// Live meters on stderr: on a terminal one line redrawn about ten times a second, otherwise a
// plain line every second.
class TapLine {
public:
  explicit TapLine(std::FILE* out) : out_(out), terminal_(isatty(fileno(out)) == 1) {}

  void update(const TapStatus& s) {
    if (s.peak.size() != 2) { // a cell per channel and the loudest (app/live_line.hpp)
      if (terminal_) {
        char tail[96];
        std::snprintf(tail, sizeof tail, "  blocks %llu  missed %llu",
                      static_cast<unsigned long long>(s.blocks),
                      static_cast<unsigned long long>(s.missed_blocks));
        const std::string line = clock(s.seconds) + "  |" + channel_cells(s.peak) + "| max " +
                                 loudest_text(s.peak) + tail;
        std::fprintf(out_, "\r%s\x1b[K", fit_cells(line, terminal_width(out_) - 1).c_str());
        std::fflush(out_);
        drawn_ = true;
      } else if (s.seconds >= next_plain_at_) {
        std::fprintf(out_, "%s  peak max %s  blocks %llu  missed %llu (%llu frames)\n",
                     clock(s.seconds).c_str(), loudest_text(s.peak).c_str(),
                     static_cast<unsigned long long>(s.blocks),
                     static_cast<unsigned long long>(s.missed_blocks),
                     static_cast<unsigned long long>(s.missed_frames));
        next_plain_at_ = s.seconds + 1.0;
      }
      return;
    }
    if (terminal_) {
      char line[256];
      std::snprintf(line, sizeof line, "%s  L%s %s/%s  R%s %s/%s  blocks %llu  missed %llu",
                    clock(s.seconds).c_str(), bar(s.peak[0]).c_str(), db_text(s.peak[0], 5).c_str(),
                    db_text(s.rms[0], 5).c_str(), bar(s.peak[1]).c_str(),
                    db_text(s.peak[1], 5).c_str(), db_text(s.rms[1], 5).c_str(),
                    static_cast<unsigned long long>(s.blocks),
                    static_cast<unsigned long long>(s.missed_blocks));
      std::fprintf(out_, "\r%s\x1b[K", fit_cells(line, terminal_width(out_) - 1).c_str());
      std::fflush(out_);
      drawn_ = true;
    } else if (s.seconds >= next_plain_at_) {
      std::fprintf(out_,
                   "%s  peak L %s R %s dBFS  rms L %s R %s dBFS  blocks %llu  missed %llu (%llu "
                   "frames)\n",
                   clock(s.seconds).c_str(), db_text(s.peak[0], 5).c_str(),
                   db_text(s.peak[1], 5).c_str(), db_text(s.rms[0], 5).c_str(),
                   db_text(s.rms[1], 5).c_str(), static_cast<unsigned long long>(s.blocks),
                   static_cast<unsigned long long>(s.missed_blocks),
                   static_cast<unsigned long long>(s.missed_frames));
      next_plain_at_ = s.seconds + 1.0;
    }
  }

  void finish() {
    if (drawn_) std::fputc('\n', out_);
    drawn_ = false;
  }

private:
  static std::string clock(double seconds) {
    const int total = static_cast<int>(seconds);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%04.1f", total / 3600, (total / 60) % 60,
                  std::fmod(seconds, 60.0));
    return buf;
  }
  // "[#######             ]": the peak from -60 to 0 dBFS.
  static std::string bar(float peak) {
    constexpr int width = 20;
    const double d = to_dbfs(peak);
    const int cells = std::isfinite(d) && d > -60
                          ? static_cast<int>(std::lround(std::min(1.0, (d + 60) / 60) * width))
                          : 0;
    return "[" + std::string(cells, '#') + std::string(width - cells, ' ') + "]";
  }

  std::FILE* out_;
  bool terminal_;
  double next_plain_at_ = 0;
  bool drawn_ = false;
};

TapOptions to_options(const TapCommandArgs& a) {
  TapOptions o;
  if (const std::string problem = tap_name_problem(a.name); !problem.empty()) usage_error(problem);
  o.name = a.name;
  o.output_path = a.output;
  if (!a.output.empty())
    o.format = file_format(a.output, a.file);
  else
    refuse_unused_encoding(a.file, "-o");
  o.overwrite = a.file.force;
  o.duration = parse_run_duration(a.duration);
  o.test_delay = std::chrono::milliseconds(a.test_delay_ms);
  return o;
}

int run(const TapCommandArgs& args) {
  const TapOptions options = to_options(args);
  SignalControls controls({});
  TapLine line(stderr);
  TapStatusCallback on_status;
  if (!args.reports.quiet) on_status = [&line](const TapStatus& s) { line.update(s); };
  const TapReport report = run_tap(options, controls, on_status);
  if (!args.reports.quiet) line.finish();
  if (!write_reports(args.reports, report)) return exit_failure;
  if (report.end == TapEnd::capture_gone) {
    std::cerr << "ringcorder: " << report.error
              << (report.output.empty() ? "\n" : "; the copy so far was kept and finalized\n");
    return exit_failure;
  }
  if (report.end == TapEnd::error) {
    std::cerr << "ringcorder: " << report.error << "; the copy so far was kept and finalized\n";
    return exit_failure;
  }
  return exit_ok;
}

} // namespace

void add_tap_command(CLI::App& app, const std::string& name, const GlobalOptions&, Action& action) {
  auto args = std::make_shared<TapCommandArgs>();
  auto* cmd = app.add_subcommand(
      name, "Attach to a running capture's tap (capture --tap NAME): live meters, or a copy");
  cmd->add_option("NAME", args->name, "The tap's name (default: ringcorder)");
  cmd->add_option("-o,--output", args->output,
                  "Copy to this file, silence for missed blocks; format from the extension "
                  "(wav flac ogg aiff caf w64 rf64)");
  add_file_options(*cmd, args->file, "the copy", /*dither=*/false);
  add_duration_option(*cmd, args->duration,
                      "Stop after this much of the capture's timeline: seconds or [[hh:]mm:]ss");
  add_report_options(*cmd, args->reports, /*html=*/false, "Print nothing but errors");
  set_help_footer(*cmd,
                  "Ends when the capture ends (exit 0), on SIGINT/SIGTERM/SIGHUP or -d (exit 0), "
                  "or\nwhen the capture dies without finishing (exit 1). A slow tap never slows "
                  "the\ncapture: it misses blocks instead, and counts them exactly.",
                  {"ringcorder tap studio   # meters of 'ringcorder capture take.wav --tap studio'",
                   "ringcorder tap studio -o copy.flac -d 30 --stats-json copy.json"});
  cmd->add_option("--test-delay-ms", args->test_delay_ms, "Test only: sleep after every block")
      ->check(CLI::Range(0, 10000))
      ->group("");
  cmd->callback([&action, args] {
    (void)to_options(*args); // usage errors while CLI11 can still say "usage"
    action = [args] { return run(*args); };
  });
}

} // namespace rc::app
