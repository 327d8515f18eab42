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
#include "engine/util/parse_number.hpp"
#include "engine/util/text.hpp"

#include <cerrno>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <new>
#include <thread>
#include <unistd.h>

namespace rc::app {

namespace {

namespace fs = std::filesystem;

struct ProcessArgs {
  std::vector<std::string> files; // inputs, then the output unless -o
  std::string output;             // -o: a directory (several inputs) or the output file
  FileArgs file;                  // -e, -f, --no-dither
  int jobs = 1;
  bool skip_existing = false; // --skip-existing
  std::string manifest;       // --manifest FILE: JSON lines appended as files finish
  ReportArgs reports;         // --stats-json, -q
  bool guard = false;         // -G: sox's guard against clipping
  bool show_progress = false; // -S: progress also when stderr is no terminal
  bool verbose_flag = false;  // -V's entry in --help only: take_process_words takes -V[LEVEL]
  int verbosity = 2;          // -V[LEVEL], from take_process_words
};

// Returns: `text` as a whole number from `low` to `high`; a usage error naming `what` otherwise.
// sox's "k" suffix (16k) multiplies by 1000 when `kilo`.
int whole_number(const std::string& what, const std::string& text, int low, int high, bool kilo) {
  std::string digits = text;
  double scale = 1;
  if (kilo && !digits.empty() && (digits.back() == 'k' || digits.back() == 'K'))
    digits.pop_back(), scale = 1000;
  const auto value = parse_finite(digits);
  if (!value || *value * scale != std::floor(*value * scale) || *value * scale < low ||
      *value * scale > high)
    usage_error(what + " takes a whole number from " + std::to_string(low) + " to " +
                std::to_string(high) + " (got '" + text + "')");
  return static_cast<int>(*value * scale);
}

// Returns: the later options, each falling back on the earlier (the output's options may stand
// just before it and after it).
FormatWords merged(const FormatWords& earlier, const FormatWords& later) {
  FormatWords out = later;
  for (auto [o, e] : {std::pair{&out.type, &earlier.type},
                      {&out.rate, &earlier.rate},
                      {&out.channels, &earlier.channels},
                      {&out.bits, &earlier.bits},
                      {&out.encoding, &earlier.encoding},
                      {&out.volume, &earlier.volume}})
    if (o->empty()) *o = *e;
  return out;
}

// Returns: how to read `file` given the options before it: a raw description for a headerless
// input (-t raw or .raw), nothing for a file with a header, which those options cannot change.
std::optional<RawInput> input_description(const FileWord& file) {
  const FormatWords& f = file.format;
  std::string ext = lowercase(fs::path(file.path).extension().string());
  const bool raw = lowercase(f.type) == "raw" || (f.type.empty() && ext == ".raw");
  if (!raw) {
    if (!f.rate.empty() || !f.channels.empty() || !f.bits.empty() || !f.encoding.empty())
      usage_error("-r, -c, -b and -e before an input describe a headerless one (-t raw); '" +
                  file.path + "' has a header (options for the output go before the output)");
    return std::nullopt;
  }
  if (f.rate.empty() || f.channels.empty() || (f.bits.empty() && f.encoding.empty()))
    usage_error("the raw input '" + file.path +
                "' needs -r RATE, -c CHANNELS and -b BITS or -e ENCODING before it");
  RawInput r;
  r.rate = whole_number("-r", f.rate, 1, 768000, true);
  r.channels = whole_number("-c", f.channels, 1, 1024, false);
  const std::string e = lowercase(f.encoding);
  r.is_float = e == "floating-point" || e == "float";
  r.is_unsigned = e == "unsigned-integer" || e == "unsigned";
  if (!e.empty() && !r.is_float && !r.is_unsigned && e != "signed-integer" && e != "signed")
    usage_error("-e " + f.encoding +
                " before a raw input: use signed-integer, unsigned-integer or floating-point");
  r.bits = f.bits.empty() ? (r.is_float ? 32 : 16) : whole_number("-b", f.bits, 8, 64, false);
  if (r.is_float ? r.bits != 32 && r.bits != 64
                 : (r.bits != 8 && r.bits != 16 && r.bits != 24 && r.bits != 32) ||
                       (r.is_unsigned && r.bits != 8))
    usage_error("-b " + f.bits + " before a raw input: " +
                (r.is_float      ? std::string("floating point is 32 or 64 bits")
                 : r.is_unsigned ? std::string("unsigned integers are 8 bits")
                                 : std::string("integers are 8, 16, 24 or 32 bits")));
  return r;
}

// sox order: [options] input... [options] output, then effects. `words` are the files and
// their format options (take_process_words), `chain` the effects main() cut off before CLI11
// parsed (take_effect_chain).
std::vector<ProcessRequest> plan(const ProcessArgs& a, const ProcessWords& words,
                                 const std::vector<std::string>& chain) {
  if (!words.problem.empty()) usage_error(words.problem);
  const std::vector<FileWord>& files = words.files;
  std::vector<FileWord> inputs;
  std::vector<std::string> outputs;
  FormatWords out_format;
  if (!a.output.empty()) {
    if (files.empty()) usage_error("no input files");
    const bool to_dir = files.size() > 1 || fs::is_directory(a.output) || a.output.back() == '/';
    if (to_dir && !fs::is_directory(a.output))
      usage_error("-o " + a.output + ": not a directory (create it first)");
    out_format = merged(words.before_o, words.trailing);
    inputs = files;
    for (const FileWord& in : files) {
      if (in.path == "-" || in.path == "-n")
        usage_error("'" + in.path + "' as an input needs an output file, not -o DIR");
      fs::path name = fs::path(in.path).filename();
      if (!out_format.type.empty()) name.replace_extension(lowercase(out_format.type));
      outputs.push_back(to_dir ? (fs::path(a.output) / name).string() : a.output);
    }
  } else {
    if (files.size() < 2) usage_error("give an input and an output file, or inputs and -o DIR");
    // Without -o there is one input and one output: a third word can only be a mistyped effect.
    if (files.size() > 2) usage_error(unknown_effect_text(files[2].path));
    inputs = {files[0]};
    outputs = {files[1].path};
    out_format = merged(files[1].format, words.trailing);
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    // Several inputs to a directory: options before the first describe every one without its own.
    if (i > 0 && inputs[i].format.empty()) inputs[i].format = inputs[0].format;
    for (std::size_t j = 0; j < i; ++j)
      if (outputs[i] == outputs[j] && outputs[i] != "-n")
        usage_error("'" + inputs[j].path + "' and '" + inputs[i].path +
                    "' would both be written to '" + outputs[i] + "'");
  }
  if (!chain.empty() && !is_effect_name(chain.front()))
    usage_error(unknown_effect_text(chain.front()));
  if (!out_format.volume.empty()) usage_error("-v is an input's volume: put it before an input");
  try {
    validate_effects(chain);
  } catch (const std::invalid_argument& e) {
    usage_error(e.what());
  }
  // sox splits one (combined) input into numbered files; several inputs would each need theirs.
  if (inputs.size() > 1 && effects_split_output(chain))
    usage_error("newfile splits one input into numbered files: give one input and one output, "
                "not " +
                std::to_string(inputs.size()) + " inputs");
  // -v and --norm are sox's shorthands for effects, checked as those.
  for (const FileWord& in : inputs) try {
      if (!in.format.volume.empty()) validate_effects({"vol", in.format.volume});
    } catch (const std::invalid_argument& e) {
      usage_error("-v " + in.format.volume + ": " + e.what());
    }
  try {
    if (words.norm) validate_effects(norm_words(*words.norm));
  } catch (const std::invalid_argument& e) {
    usage_error("--norm=" + *words.norm + ": " + e.what());
  }
  ProcessRequest output;
  output.type = out_format.type;
  output.encoding = out_format.encoding;
  if (!out_format.bits.empty()) output.bits = whole_number("-b", out_format.bits, 8, 64, false);
  if (!out_format.rate.empty()) output.rate = whole_number("-r", out_format.rate, 1, 768000, true);
  if (!out_format.channels.empty())
    output.channels = whole_number("-c", out_format.channels, 1, 1024, false);
  std::vector<ProcessRequest> requests;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    ProcessRequest r = output;
    r.input = inputs[i].path;
    r.output = outputs[i];
    r.raw_input = input_description(inputs[i]);
    r.effects = chain;
    // -v before an input: sox scales the input's samples, as vol at the chain's start does.
    if (!inputs[i].format.volume.empty())
      r.effects.insert(r.effects.begin(), {"vol", inputs[i].format.volume});
    r.norm = words.norm;
    r.guard = a.guard;
    r.overwrite = a.file.force;
    r.dither = !a.file.no_dither;
    requests.push_back(std::move(r));
  }
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
  // With : newfile, each numbered file written.
  if (r.files.size() != 1 || r.files.front().path != r.output)
    for (const WrittenFile& f : r.files)
      std::cout << "  wrote " << f.path << " (" << f.frames << " frames)\n";
  for (const auto& [effect, n] : r.clips)
    std::cout << "  " << effect << " clipped " << n << " samples\n";
  if (r.output_clipped) std::cout << "  output clipped " << r.output_clipped << " samples\n";
}

// -V3 and above: what sox -V3 reports, to stderr after the file's run: both files' formats and
// the effects chain as it ran, one line per stage in sox's layout (the input, the effects with
// the stages process added, the output); from -V4 each effect with its arguments.
void print_details(const ProcessResult& r, int verbosity) {
  std::fprintf(stderr, "ringcorder: input file '%s': %s, %d Hz, %d channels, %llu frames\n",
               r.input.c_str(), r.input_format.c_str(), r.input_rate, r.input_channels,
               static_cast<unsigned long long>(r.frames_in));
  std::fprintf(stderr, "ringcorder: output file '%s': %s, %d Hz, %d channels, %llu frames\n",
               r.output.c_str(), r.output_format.c_str(), r.output_rate, r.output_channels,
               static_cast<unsigned long long>(r.frames_out));
  const auto line = [verbosity](const std::string& effect, double rate, int channels) {
    const std::string name = verbosity >= 4 ? effect : effect.substr(0, effect.find(' '));
    std::fprintf(stderr, "ringcorder: effects chain: %-10s %7gHz %2d channels\n", name.c_str(),
                 rate, channels);
  };
  line("input", r.input_rate, r.input_channels);
  for (const ChainStage& stage : r.stages) line(stage.effect, stage.rate, stage.channels);
  line("output", r.output_rate, r.output_channels);
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
  // A worker that finishes one wakes the loop (all_done), so a short file is not kept waiting
  // for the next progress tick.
  std::atomic<std::size_t> finished{0};
  std::mutex done_mutex;
  std::condition_variable all_done;
  const auto finish_one = [&] {
    if (finished.fetch_add(1) + 1 == requests.size()) {
      const std::lock_guard lock(done_mutex);
      all_done.notify_all();
    }
  };
  std::atomic<bool> usage_failure{false};

  // --manifest: opened for appending before any work, so that a bad path fails at once; each
  // finished file is one line, written whole with one write() (O_APPEND: several processes of
  // one batch, under GNU parallel or a Slurm array, may share the file).
  int manifest = -1;
  if (!args.manifest.empty()) {
    manifest = ::open(args.manifest.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (manifest < 0) {
      std::cerr << "ringcorder: cannot write the manifest '" << args.manifest
                << "': " << std::strerror(errno) << "\n";
      return exit_failure;
    }
  }
  std::atomic<bool> manifest_failed{false};
  std::vector<char> skipped(requests.size(), 0);
  const auto note_in_manifest = [&](std::size_t i) {
    if (manifest < 0) return;
    ProcessOutcome o{requests[i].input, requests[i].output, results[i], one_line(errors[i]),
                     skipped[i] != 0};
    const std::string line = manifest_line(o);
    if (::write(manifest, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
      manifest_failed = true;
  };

  auto worker = [&] {
    for (std::size_t i = next++; i < requests.size(); i = next++) {
      std::error_code ec;
      // A split output's first numbered file stands for it.
      const std::string first = effects_split_output(requests[i].effects)
                                    ? numbered_output(requests[i].output, 1)
                                    : requests[i].output;
      if (args.skip_existing && requests[i].output != "-" && requests[i].output != "-n" &&
          fs::exists(first, ec)) {
        skipped[i] = 1;
        note_in_manifest(i);
        finish_one();
        continue;
      }
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
      note_in_manifest(i);
      finish_one();
    }
  };
  std::vector<std::thread> threads;
  // With nothing to draw (-q) and one file at a time, this thread runs the jobs itself: a
  // short file's run is mostly start-up, and a thread more costs about 0.2 ms of it.
  if (jobs == 1 && args.reports.quiet)
    worker();
  else
    for (std::size_t j = 0; j < jobs; ++j) threads.emplace_back(worker);

  ProgressBar bar(stderr, args.reports.quiet, args.show_progress);
  for (;;) {
    bar.update(progress);
    std::unique_lock lock(done_mutex);
    if (all_done.wait_for(lock, std::chrono::milliseconds(100),
                          [&] { return finished.load() == requests.size(); }))
      break;
  }
  for (auto& t : threads) t.join();
  bar.finish();

  int code = exit_ok;
  std::vector<ProcessOutcome> outcomes;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (results[i] && args.verbosity >= 3 && !args.reports.quiet)
      print_details(*results[i], args.verbosity);
    if (results[i] && text_report_wanted(args.reports)) print_result(*results[i]);
    if (skipped[i] && text_report_wanted(args.reports))
      std::cout << requests[i].output << " exists: skipped (--skip-existing)\n";
    if (results[i]) print_analyses(*results[i], requests.size() > 1, args.reports.quiet);
    if (!errors[i].empty()) {
      std::cerr << "ringcorder: " << one_line(errors[i]) << "\n";
      code = std::max(code, int(exit_failure));
    }
    outcomes.push_back(
        {requests[i].input, requests[i].output, results[i], one_line(errors[i]), skipped[i] != 0});
  }
  if (manifest >= 0 && ::close(manifest) != 0) manifest_failed = true;
  if (manifest_failed) {
    std::cerr << "ringcorder: writing the manifest '" << args.manifest << "' failed\n";
    code = std::max(code, int(exit_failure));
  }
  if (!write_report_file(args.reports.stats_json, to_json(outcomes), "JSON report"))
    code = std::max(code, int(exit_failure));
  // A bad request for a single file is a usage error; mixed outcomes report failure.
  if (usage_failure && requests.size() == 1) code = exit_usage;
  return code;
}

} // namespace

void add_process_command(CLI::App& app, const std::string& name, const GlobalOptions& global,
                         Action& action) {
  auto args = std::make_shared<ProcessArgs>();
  auto* cmd = app.add_subcommand(
      name, "Run files through an effect chain: process IN OUT [EFFECT [ARGS]]... or "
            "process IN... -o DIR [EFFECT [ARGS]]...");
  // The files and their format options are taken out before CLI11 parses (take_process_words):
  // this option only documents them.
  cmd->add_option("FILES", args->files,
                  "[FORMAT OPTIONS] input... [FORMAT OPTIONS] output, as in sox: -t TYPE -r RATE "
                  "-c CHANNELS -b BITS -e ENCODING before a file describe it; '-' is standard "
                  "input or output, '-n' no output, or as the input nothing (48 kHz, for synth)");
  cmd->add_option("-o,--output", args->output, "Output directory (several inputs) or file");
  add_file_options(*cmd, args->file, "each output", true, TypeAndBits::no,
                   DefaultEncoding::float32);
  cmd->add_flag("-D", args->file.no_dither, "As --no-dither (sox's -D)");
  cmd->add_option("-j,--jobs", args->jobs, "Files to convert in parallel")
      ->check(CLI::Range(1, 64));
  cmd->add_flag("--skip-existing", args->skip_existing,
                "Leave an output that exists alone (not an error): resume a batch")
      ->excludes(cmd->get_option("--force"));
  cmd->add_option("--manifest", args->manifest,
                  "Append one JSON line per file (input, output, result, frames, seconds, "
                  "clips) to FILE as each finishes");
  add_report_options(*cmd, args->reports, /*html=*/false, "No progress and no summary");
  cmd->add_flag("-G,--guard", args->guard,
                "sox's guard against clipping: gain -h before the effects, gain -r where an "
                "effect sets the gain, gain -rh (or -h) after the format stages");
  cmd->add_flag("-S,--show-progress", args->show_progress,
                "Progress also when stderr is no terminal: a line each second and at the end "
                "(-q wins)");
  cmd->add_flag("-V", args->verbose_flag,
                "-V[LEVEL]: sox's verbosity, 0-6, attached (-V3; -V alone: 3). 0, 1: as -q; 2: "
                "the default; 3: also formats and the effects chain (stderr); 4-6: with the "
                "effects' arguments");
  set_help_footer(
      *cmd,
      "Effects (sox syntax): gain [-e|-B|-b|-r] [-n] [-l|-h] [DB] | highpass [-1|-2] F [W] | "
      "lowpass [-1|-2] F [W] |\n"
      "  equalizer F W DB | bass DB [F [W]] | treble DB [F [W]] | limit DB [RELEASE_MS] |\n"
      "  fade [q|h|t|l|p] IN [STOP [OUT]] | norm [DB] | remix [-m] SPEC... | swap |\n"
      "  rate HZ | dither [-p BITS|BITS] (none: the output's depth; no effect into float,\n"
      "  32-bit or an input no deeper, as sox) | vol GAIN [amplitude|power|dB [LIMITERGAIN]] |\n"
      "  dcshift SHIFT [LIMITERGAIN] | channels N | bandpass [-c] F W | bandreject F W |\n"
      "  allpass F W | allpass -1|-2 F | band [-n] F [W] | deemph | riaa |\n"
      "  biquad B0 B1 B2 A0 A1 A2 | contrast [E] | overdrive [GAIN [COLOUR]] |\n"
      "  trim POSITION... | pad LENGTH[@POSITION]... | delay POSITION... | repeat [COUNT] |\n"
      "  reverse | stat [-s N] [-rms] [-v] | stats [-b BITS|-x BITS|-s SCALE] [-w WINDOW] |\n"
      "  tremolo SPEED [DEPTH] | speed FACTOR[c] |\n"
      "  silence [-l] ABOVE_PERIODS [DURATION THRESHOLD[d|%] [BELOW_PERIODS DURATION\n"
      "  THRESHOLD[d|%]]] (a bare DURATION is samples) |\n"
      "  synth [-n] [-j KEY] [LENGTH [OFF [PH [P1 [P2 [P3]]]]]] TYPE [create|mix|amod|fmod]\n"
      "    [FREQ[:|+|/|-FREQ2]] [OFF [PH [P1 [P2 [P3]]]]]... (TYPE: sine, square, sawtooth,\n"
      "    triangle, trapezium, exp, whitenoise, tpdfnoise, pinknoise, brownnoise, pluck;\n"
      "    FREQ: Hz, 1k, %SEMITONES from A4 or a note C4, F#3; -j KEY: just intonation) |\n"
      "  sinc [-a ATT|-b BETA] [-p PHASE|-M|-I|-L] [-t TBW|-n TAPS] [F1][-F2].\n"
      "  Widths: 0.707q, 1o, "
      "100h, 0.1k, 0.5s (shelves), 100b\n"
      "  (bandpass, bandreject); a bare width is Q, or Hz for the band filters.\n"
      "Split as sox: EFFECTS : newfile : restart writes OUT001.wav, OUT002.wav... one file each\n"
      "  time an effect ends the output (silence 1 0.5 1% 1 0.5 1%: one file per track).",
      {"ringcorder process in.wav out.flac gain -3 highpass 80",
       "ringcorder process *.wav -o normalized/ -j 2 norm -1",
       "ringcorder process -n -r 44100 tone.wav synth 3 sine 440"});
  cmd->callback([&global, &action, args] {
    check_standard_output(args->reports);
    args->verbosity = global.process.verbosity;
    if (args->verbosity <= 1) args->reports.quiet = true; // sox's -V0, -V1: no progress, no notes
    auto requests =
        std::make_shared<std::vector<ProcessRequest>>(plan(*args, global.process, global.effects));
    action = [args, requests] { return run(*args, *requests); };
  });
}

} // namespace rc::app
