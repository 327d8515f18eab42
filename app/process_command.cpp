// app/process_command.cpp - `ringcorder process IN... OUT|-o DIR EFFECTS...`: files through the
// effect chain, sox-style.
#include "app/commands.hpp"
#include "app/effect_args.hpp"
#include "app/live_args.hpp"
#include "app/progress_bar.hpp"
#include "app/report_files.hpp"

#include "engine/dsp/chain_parser.hpp"
#include "engine/offline/process_job.hpp"
#include "engine/report/process_report.hpp"
#include "engine/util/text.hpp"

#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <new>
#include <thread>

namespace rc::app {

namespace {

namespace fs = std::filesystem;

struct ProcessArgs {
  std::vector<std::string> files; // inputs, then the output unless -o
  std::string output;             // -o: a directory (several inputs) or the output file
  FileArgs file;                  // -e, -f, --no-dither
  int jobs = 1;
  ReportArgs reports; // --stats-json, -q
};

// sox order: files, then effects. `chain` is the effect chain main() cut off before CLI11
// parsed (see take_effect_chain); options may stand anywhere before it, or long ones after.
std::vector<ProcessRequest> plan(const ProcessArgs& a, const std::vector<std::string>& chain) {
  const std::vector<std::string>& files = a.files;
  std::vector<std::pair<std::string, std::string>> pairs; // input, output
  if (!a.output.empty()) {
    if (files.empty()) usage_error("no input files");
    const bool to_dir = files.size() > 1 || fs::is_directory(a.output) || a.output.back() == '/';
    if (to_dir && !fs::is_directory(a.output))
      usage_error("-o " + a.output + ": not a directory (create it first)");
    for (const std::string& in : files)
      pairs.emplace_back(in, to_dir ? (fs::path(a.output) / fs::path(in).filename()).string()
                                    : a.output);
  } else {
    if (files.size() < 2) usage_error("give an input and an output file, or inputs and -o DIR");
    // Without -o there is one input and one output: a third word can only be a mistyped effect.
    if (files.size() > 2) usage_error(unknown_effect_text(files[2]));
    pairs.emplace_back(files[0], files[1]);
  }
  if (!chain.empty() && !is_effect_name(chain.front()))
    usage_error(unknown_effect_text(chain.front()));
  try {
    validate_effects(chain);
  } catch (const std::invalid_argument& e) {
    usage_error(e.what());
  }
  std::vector<ProcessRequest> requests;
  for (auto& [in, out] : pairs)
    requests.push_back({in, out, a.file.encoding, chain, a.file.force, !a.file.no_dither});
  return requests;
}

void print_result(const ProcessResult& r) {
  char speed[64];
  const double audio_seconds = double(r.frames_in) / r.input_rate;
  std::snprintf(speed, sizeof speed, "%.2f s, %.0fx real time", r.seconds,
                r.seconds > 0 ? audio_seconds / r.seconds : 0.0);
  std::cout << r.input << " (" << r.input_format << ", " << r.input_rate << " Hz, "
            << r.input_channels << " ch) -> " << r.output << " (" << r.output_format << ", "
            << r.output_rate << " Hz, " << r.output_channels << " ch, " << r.frames_out
            << " frames) in " << speed << "\n";
  if (!r.chain.empty()) std::cout << "  effects: " << r.chain << "\n";
  for (const auto& [effect, n] : r.clips)
    std::cout << "  " << effect << " clipped " << n << " samples\n";
  if (r.output_clipped) std::cout << "  output clipped " << r.output_clipped << " samples\n";
}

// sox prints stat's and stats' text to stderr after the run, also with -q: so does process. With
// several inputs each file's text follows a line naming it.
void print_analyses(const ProcessResult& r, bool name_file, bool quiet) {
  for (const EffectAnalysis& a : r.analyses) {
    if (name_file) std::cerr << a.effect << ", " << r.input << ":\n";
    if (a.text.empty()) {
      if (!quiet) std::cerr << "ringcorder: " << a.effect << ": no audio\n";
    } else {
      std::cerr << a.text;
    }
  }
}

int run(const ProcessArgs& args, const std::vector<ProcessRequest>& requests) {
  const std::size_t jobs =
      std::clamp<std::size_t>(static_cast<std::size_t>(args.jobs), 1, requests.size());
  std::vector<std::unique_ptr<ProcessProgress>> progress;
  for (std::size_t i = 0; i < requests.size(); ++i)
    progress.push_back(std::make_unique<ProcessProgress>());
  std::vector<std::string> errors(requests.size());
  std::vector<std::optional<ProcessResult>> results(requests.size());
  std::atomic<std::size_t> next{0};
  // Requests done (result or error stored). results and errors belong to the workers until the
  // threads are joined: the progress loop reads only this count and the atomic progress.
  std::atomic<std::size_t> finished{0};
  std::atomic<bool> usage_failure{false};

  auto worker = [&] {
    for (std::size_t i = next++; i < requests.size(); i = next++) {
      try {
        results[i] = run_process(requests[i], *progress[i]);
      } catch (const std::invalid_argument& e) {
        errors[i] = e.what();
        usage_failure = true;
      } catch (const std::bad_alloc&) {
        errors[i] = "out of memory converting '" + requests[i].input + "'";
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
      finished.fetch_add(1);
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t j = 0; j < jobs; ++j) threads.emplace_back(worker);

  ProgressBar bar(stderr, args.reports.quiet);
  for (;;) {
    bar.update(progress);
    if (finished.load() == requests.size()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (auto& t : threads) t.join();
  bar.finish();

  int code = exit_ok;
  std::vector<ProcessOutcome> outcomes;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (results[i] && text_report_wanted(args.reports)) print_result(*results[i]);
    if (results[i]) print_analyses(*results[i], requests.size() > 1, args.reports.quiet);
    if (!errors[i].empty()) {
      std::cerr << "ringcorder: " << one_line(errors[i]) << "\n";
      code = std::max(code, int(exit_failure));
    }
    outcomes.push_back({requests[i].input, requests[i].output, results[i], one_line(errors[i])});
  }
  if (!write_report_file(args.reports.stats_json, to_json(outcomes), "JSON report"))
    code = std::max(code, int(exit_failure));
  // A bad request for a single file is a usage error; mixed outcomes report failure.
  if (usage_failure && requests.size() == 1) code = exit_usage;
  return code;
}

} // namespace

void add_process_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto args = std::make_shared<ProcessArgs>();
  auto* cmd = app.add_subcommand(
      "process", "Run files through an effect chain: process IN OUT [EFFECT [ARGS]]... or "
                 "process IN... -o DIR [EFFECT [ARGS]]...");
  cmd->add_option("FILES", args->files, "Input file(s), then the output file unless -o")
      ->required();
  cmd->add_option("-o,--output", args->output, "Output directory (several inputs) or file");
  add_file_options(*cmd, args->file, "each output", true, TypeAndBits::no,
                   DefaultEncoding::float32);
  cmd->add_option("-j,--jobs", args->jobs, "Files to convert in parallel")
      ->check(CLI::Range(1, 64));
  add_report_options(*cmd, args->reports, /*html=*/false, "No progress and no summary");
  set_help_footer(
      *cmd,
      "Effects (sox syntax): gain [-e|-B|-b|-r] [-n] [-l|-h] [DB] | highpass [-1|-2] F [W] | "
      "lowpass [-1|-2] F [W] |\n"
      "  equalizer F W DB | bass DB [F [W]] | treble DB [F [W]] | limit DB [RELEASE_MS] |\n"
      "  fade [q|h|t|l|p] IN [STOP [OUT]] | norm [DB] | remix [-m] SPEC... | swap |\n"
      "  rate HZ | dither [BITS] | vol GAIN [amplitude|power|dB [LIMITERGAIN]] |\n"
      "  dcshift SHIFT [LIMITERGAIN] | channels N | bandpass [-c] F W | bandreject F W |\n"
      "  allpass F W | allpass -1|-2 F | band [-n] F [W] | deemph | riaa |\n"
      "  biquad B0 B1 B2 A0 A1 A2 | contrast [E] | overdrive [GAIN [COLOUR]] |\n"
      "  trim POSITION... | pad LENGTH[@POSITION]... | delay POSITION... | repeat [COUNT] |\n"
      "  reverse | stat [-s N] [-rms] [-v] | stats [-b BITS|-x BITS|-s SCALE] [-w WINDOW] |\n"
      "  sinc [-a ATT|-b BETA] [-p PHASE|-M|-I|-L] [-t TBW|-n TAPS] [F1][-F2].\n"
      "  Widths: 0.707q, 1o, "
      "100h, 0.1k, 0.5s (shelves), 100b\n"
      "  (bandpass, bandreject); a bare width is Q, or Hz for the band filters.",
      {"ringcorder process in.wav out.flac gain -3 highpass 80",
       "ringcorder process *.wav -o normalized/ -j 2 norm -1",
       "ringcorder process talk.wav talk16.wav -e 16 rate 16000 --stats-json talk.json"});
  cmd->callback([&global, &action, args] {
    check_standard_output(args->reports);
    auto requests = std::make_shared<std::vector<ProcessRequest>>(plan(*args, global.effects));
    action = [args, requests] { return run(*args, *requests); };
  });
}

} // namespace rc::app
