// engine/offline/process_job.cpp - see process_job.hpp.
//
// Pipeline (one conversion):
//   reader thread ──full_in──▶ DSP (this thread) ──full_out──▶ writer thread
//        ▲                      │        ▲                         │
//        └──────free_in─────────┘        └─────────free_out────────┘
// Blocks are indices into two fixed pools, so nothing is allocated or copied between threads
// except one copy of each block into the output pool (effects may process in place).
#include "engine/offline/process_job.hpp"

#include "engine/files/output_format.hpp"

#include "engine/dsp/chain_parser.hpp"
#include "engine/dsp/offline_effects.hpp"
#include "engine/dsp/sample_spool.hpp"
#include "engine/dsp/synth_effect.hpp"
#include "engine/files/sound_file_reader.hpp"
#include "engine/files/sound_file_writer.hpp"
#include "engine/files/stream_writer.hpp"
#include "engine/offline/block_queue.hpp"
#include "engine/offline/pool_memory.hpp"

#include <sndfile.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <stdio.h>
#include <thread>
#include <unistd.h>

namespace rc {

namespace {

namespace fs = std::filesystem;

// 32768 frames per block: measured here, 8192 left the three threads handing blocks to each
// other so often that the hand-offs cost more than the DSP (0.41 s -> 0.31 s for 10 minutes).
// That is for stereo: the blocks hold block_samples samples, so a file with many channels
// (libsndfile reads up to 1024) gets shorter blocks instead of pools of gigabytes.
constexpr std::size_t block_samples = 65536;

std::size_t block_frames_for(int channels) {
  return std::clamp<std::size_t>(block_samples / static_cast<std::size_t>(channels), 64, 32768);
}
constexpr std::uint32_t pool_blocks = 8;

struct BlockRef {
  std::uint32_t index = 0;
  std::uint32_t frames = 0;
  bool end = false;
  bool next_file = false; ///< To the writer: no frames; close this file, open the next part.
};

constexpr const char* stdin_name = "-";
constexpr const char* stdout_name = "-";
constexpr const char* null_name = "-n";

// Effects: refuses to write `output` (the output, or a numbered part of it) when it is the input,
// a directory, or exists without --force.
void check_output_path(const ProcessRequest& request, const std::string& output) {
  std::error_code ec;
  if (fs::exists(output, ec)) {
    if (fs::equivalent(request.input, output, ec))
      throw std::invalid_argument("the output '" + output + "' is the input; write elsewhere");
    refuse_directory(output);
    if (!request.overwrite)
      throw std::runtime_error("'" + output + "' exists; use --force to overwrite it");
  }
}

// `first_output`: the first file to be written (the output, or its first numbered part).
void check_paths(const ProcessRequest& request, const std::string& first_output) {
  std::error_code ec;
  if (request.input != stdin_name && request.input != null_name && !fs::exists(request.input, ec))
    throw std::runtime_error("cannot read '" + request.input + "': no such file");
  if (request.output == stdout_name || request.output == null_name) return;
  check_output_path(request, first_output);
}

// A hidden name beside the target, so the rename is atomic and a failure leaves nothing under
// the final name.
fs::path temporary_beside(const fs::path& target) {
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  return dir / ("." + target.filename().string() + ".part-" + std::to_string(getpid()) + "-" +
                std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()) % 100000) +
                target.extension().string());
}

void move_into_place(const fs::path& from, const fs::path& to, bool overwrite) {
  const unsigned flags = overwrite ? 0u : RENAME_NOREPLACE;
  if (renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), flags) != 0) {
    const std::string reason = std::strerror(errno);
    fs::remove(from);
    if (errno == EEXIST)
      throw std::invalid_argument("'" + to.string() +
                                  "' appeared meanwhile; use --force to overwrite it");
    throw std::runtime_error("cannot rename the result to '" + to.string() + "': " + reason);
  }
}

std::uint64_t count_beyond_full_scale(const float* data, std::size_t samples) {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < samples; ++i) n += (data[i] > 1.0f) | (data[i] < -1.0f);
  return n;
}

// The input as each pass reads it: a file is read again from its start for each pass; a pipe
// is read once, its first pass keeping a copy in a spool that later passes read; the null input
// (-n, no reader) is `silence` frames of silence.
class PassInput {
public:
  PassInput(SoundFileReader* reader, bool passes_follow, int channels, std::uint64_t silence)
      : reader_(reader), channels_(channels), silence_(silence) {
    spooling_ = reader && passes_follow && !reader->seekable();
    if (spooling_ && !spool_.start(reader->channels())) throw std::runtime_error(spool_.error());
  }
  // Effects: reads up to `frames` frames into `out`. Returns: frames read, 0 at the end.
  // Throws: std::runtime_error on a read or spool error.
  std::size_t read(float* out, std::size_t frames) {
    if (replay_) {
      const std::size_t n =
          static_cast<std::size_t>(std::min<std::uint64_t>(frames, replay_->frames() - position_));
      if (n > 0 && !replay_->read(position_, n, out)) throw std::runtime_error(replay_->error());
      position_ += n;
      return n;
    }
    if (!reader_) {
      const auto n =
          static_cast<std::size_t>(std::min<std::uint64_t>(frames, silence_ - position_));
      std::fill(out, out + n * static_cast<std::size_t>(channels_), 0.0f);
      position_ += n;
      return n;
    }
    if (from_spool_) {
      const std::size_t n =
          static_cast<std::size_t>(std::min<std::uint64_t>(frames, spool_.frames() - position_));
      if (n > 0 && !spool_.read(position_, n, out)) throw std::runtime_error(spool_.error());
      position_ += n;
      return n;
    }
    const std::uint64_t at = reader_->position();
    if (at >= stop_at_) return 0;
    const std::size_t n = reader_->read(
        out, static_cast<std::size_t>(std::min<std::uint64_t>(frames, stop_at_ - at)));
    if (spooling_ && n > 0 && !spool_.append(out, n)) throw std::runtime_error(spool_.error());
    return n;
  }
  // Effects: the input is read no further than input frame `frame` (the chain takes no more
  // there: Effect::frames_wanted), for every pass; a spool replayed is not limited.
  void stop_at(std::uint64_t frame) noexcept { stop_at_ = frame; }
  // Effects: the next read starts at input frame `frame`, when the input is a file that can
  // seek there. Returns: whether it did (if not, nothing changed).
  bool skip_to(std::uint64_t frame) {
    return reader_ && !spooling_ && reader_->seekable() && frame <= reader_->frames() &&
           reader_->seek(frame);
  }
  // Effects: from now on read() gives the frames of `spool` (what a pass set aside), from its
  // first; the input itself is not read again. `spool` must outlive the reads.
  void replay(SampleSpool& spool) {
    replay_ = &spool;
    position_ = 0;
  }
  // Returns: true after replay().
  [[nodiscard]] bool replaying() const noexcept { return replay_ != nullptr; }
  // Effects: the next read starts from the first frame again.
  void rewind() {
    if (!reader_) {
      position_ = 0;
    } else if (spooling_) {
      from_spool_ = true;
      position_ = 0;
    } else {
      reader_->rewind();
    }
  }

private:
  SoundFileReader* reader_;
  int channels_;
  std::uint64_t silence_;
  bool spooling_ = false, from_spool_ = false;
  SampleSpool spool_;
  SampleSpool* replay_ = nullptr; // see replay()
  std::uint64_t position_ = 0;
  std::uint64_t stop_at_ = UINT64_MAX; // see stop_at()
};

// sox's measured gains (gain -n, -e, -B, -b; norm) keep what reaches them in a temporary file
// and read it back once the gain is known, so the effects before them run once. So does this,
// when one measured gain is left and what reaches it has the input's shape (no rate or channel
// change before it): the measuring pass runs the effects up to the gain, sets their output aside
// in `spool` as the gain measures it, and the chain then goes on from the gain (its span), with
// `input` replaying the spool. Returns: whether it did; if not, nothing changed.
bool measure_from_spool(PassInput& input, const AudioFormat& shape, EffectChain& chain,
                        ProcessProgress& progress, SampleSpool& spool) {
  const auto norms = chain.norms_to_measure();
  if (norms.size() != 1) return false;
  const auto& effects = chain.effects();
  std::size_t at = 0;
  while (at < effects.size() && effects[at].get() != norms.front()) ++at;
  if (at == 0 || at == effects.size()) return false; // nothing before it to save
  const AudioFormat& reaching = chain.formats()[at - 1];
  if (reaching.channels != shape.channels || reaching.rate != shape.rate) return false;
  if (!spool.start(shape.channels)) throw std::runtime_error(spool.error());
  const std::size_t block_frames = block_frames_for(shape.channels);
  std::vector<float> scratch(block_frames * static_cast<std::size_t>(shape.channels));
  chain.reset();
  chain.set_span(0, at + 1); // up to the gain, which passes what it measures on unchanged
  progress.frames_done = 0;
  const EffectChain::Sink keep = [&spool](AudioBlock b) {
    if (!spool.append(b.data, b.frames)) throw std::runtime_error(spool.error());
  };
  while (!chain.ended()) {
    const std::size_t n = input.read(scratch.data(), block_frames);
    if (n == 0) break;
    chain.process({scratch.data(), n, shape.channels}, keep);
    progress.frames_done += n;
  }
  chain.flush(keep);
  (void)norms.front()->apply(); // sox reports its note only at -V3
  ++progress.pass;
  chain.reset(at); // the effects before the gain are done: what they found stays (stat, clips)
  chain.set_span(at, effects.size());
  input.replay(spool);
  return true;
}

// Measuring passes for norm and gain's scans: each resolves the earliest still measuring.
void run_measuring_passes(PassInput& input, int channels, EffectChain& chain,
                          ProcessProgress& progress) {
  if (chain.norms_to_measure().empty()) return;
  const std::size_t block_frames = block_frames_for(channels);
  std::vector<float> scratch(block_frames * static_cast<std::size_t>(channels));
  bool first = true;
  for (auto norms = chain.norms_to_measure(); !norms.empty(); norms = chain.norms_to_measure()) {
    if (!first) input.rewind();
    first = false;
    chain.reset();
    progress.frames_done = 0;
    while (const std::size_t n = input.read(scratch.data(), block_frames)) {
      chain.process({scratch.data(), n, channels}, [](AudioBlock) {});
      progress.frames_done += n;
    }
    chain.flush([](AudioBlock) {});
    (void)norms.front()->apply(); // sox reports its note only at -V3
    ++progress.pass;
  }
  input.rewind();
  chain.reset();
}

// Returns: the user's effect words with the stages sox adds for an output rate or channel count
// that differs from the chain's (-r, -c before the output): before a dither of the user's, and in
// sox's order (rate first when channels are added, so the resampler runs on fewer channels).
// With -G, sox's guard (sox.c's add_effects): gain -h / gain -r around the user's effects and
// the format stages (guarded_words()), then unless the level at that point is exactly the last
// gain -h's (nothing lowered it), gain -rh (a gain -h awaits) or gain -h; then --norm's gain.
std::vector<std::string> with_format_effects(const std::vector<std::string>& words,
                                             const AudioFormat& input, std::uint64_t frames,
                                             const ProcessRequest& request) {
  if (request.rate == 0 && request.channels == 0 && !request.norm && !request.guard) return words;
  const auto dither = std::find(words.begin(), words.end(), "dither");
  const bool guard = request.guard || request.norm.has_value(); // sox's --norm guards too
  bool pending = false;                                         // -G: a gain -h awaits its gain -r
  const std::vector<std::string> before = guard ? guarded_words({words.begin(), dither}, pending)
                                                : std::vector<std::string>(words.begin(), dither);
  EffectChain probe = parse_effect_chain(before);
  probe.leave_rate_to_caller(); // speed's rate back to the output's is one of the stages here
  probe.set_input_length(frames, input.rate);
  const AudioFormat shape = probe.configure(input);
  const int channels = request.channels ? request.channels : shape.channels;
  const double rate = request.rate ? double(request.rate) : probe.output_rate(input.rate);
  std::vector<std::string> added;
  // rate and channels set no gain: with -G a gain -h goes before them unless one awaits.
  const auto add_stage = [&](std::initializer_list<std::string> stage) {
    if (guard && !pending) added.insert(added.end(), {"gain", "-h"}), pending = true;
    added.insert(added.end(), stage);
  };
  const auto add_rate = [&] { add_stage({"rate", std::to_string(std::lround(rate))}); };
  const bool rate_first = shape.channels < channels && shape.rate != rate;
  if (rate_first) add_rate();
  if (shape.channels != channels) add_stage({"channels", std::to_string(channels)});
  if (!rate_first && shape.rate != rate) add_rate();
  std::vector<std::string> out = before;
  out.insert(out.end(), added.begin(), added.end());
  if (request.guard && !request.norm) {
    EffectChain level = parse_effect_chain(out);
    level.set_input_length(frames, input.rate);
    (void)level.configure(input);
    if (level.end_headroom() != 1.0) out.insert(out.end(), {"gain", pending ? "-rh" : "-h"});
  }
  if (request.norm) {
    const std::vector<std::string> norm = norm_words(*request.norm);
    out.insert(out.end(), norm.begin(), norm.end());
  }
  out.insert(out.end(), dither, words.end());
  return out;
}

// Returns: the output's format: as asked (-t, -e, -b, the extension), and when neither -e nor -b
// says, the input's precision for an integer PCM input, as sox does (8 bits become 16); the
// container's default when it cannot hold that depth (FLAC 32 bits, Ogg).
OutputFormat output_format(const ProcessRequest& request, int input_bits) {
  FormatRequest asked{request.output, request.type, request.encoding, request.bits,
                      DefaultEncoding::float32};
  std::string error;
  if (request.output == stdout_name && request.type.empty())
    throw std::invalid_argument("standard output needs its type: -t wav or -t raw before '-'");
  std::optional<OutputFormat> format = output_format_for(asked, error);
  if (!format) throw std::invalid_argument(error);
  if (request.encoding.empty() && request.bits == 0 && input_bits > 0) {
    FormatRequest follow = asked;
    follow.bits = std::max(input_bits, 16);
    std::string ignored;
    if (auto same = output_format_for(follow, ignored)) format = same;
  }
  if (request.output == stdout_name)
    if (std::string problem = stream_format_problem(*format); !problem.empty())
      throw std::invalid_argument("standard output: " + problem);
  return *format;
}

// Where the output's frames go: a file (a hidden temporary renamed into place at the end),
// standard output, or nowhere (-n).
class NullSink final : public FrameSink {
public:
  bool write(ConstFrames) override { return true; }
};

std::vector<EffectAnalysis> analyses_of(const EffectChain& chain, const SoundFileReader* reader) {
  const SampleEncoding encoding = reader && reader->unsigned_pcm()
                                      ? SampleEncoding::unsigned_integer
                                  : reader && reader->mu_law() ? SampleEncoding::mu_law
                                                               : SampleEncoding::other;
  std::vector<EffectAnalysis> out;
  for (const auto& effect : chain.effects()) {
    if (const auto* stat = dynamic_cast<const StatEffect*>(effect.get())) {
      EffectAnalysis a{stat->description(), stat->figures(), std::nullopt, {}};
      a.text = stat_text(*a.stat, encoding);
      out.push_back(std::move(a));
    } else if (const auto* stats = dynamic_cast<const StatsEffect*>(effect.get())) {
      EffectAnalysis a{stats->description(), std::nullopt, stats->figures(), {}};
      if (a.stats) a.text = stats_text(*a.stats);
      out.push_back(std::move(a));
    }
  }
  return out;
}

// sox's null input (-n): no length of its own, at sox's default rate, with as many channels as
// the first synth has generators; the synth's LENGTH decides how long it lasts.
struct NullInput {
  int channels = 1;
  std::uint64_t frames = 0;
};
constexpr int null_rate = 48000;

NullInput null_input(const std::vector<std::string>& effects) {
  const EffectChain chain = parse_effect_chain(effects);
  for (const auto& effect : chain.effects())
    if (const auto* synth = dynamic_cast<const SynthEffect*>(effect.get())) {
      const auto frames = synth->length_at(null_rate);
      if (!frames || *frames == 0)
        throw std::invalid_argument(
            "synth needs a LENGTH with -n as the input (e.g. synth 3 sine)");
      return {static_cast<int>(synth->generators()), *frames};
    }
  throw std::invalid_argument("-n as an input needs a synth effect (e.g. synth 3 sine 440)");
}

} // namespace

std::vector<std::string> norm_words(const std::string& level) {
  std::vector<std::string> words{"gain", "-nh"};
  if (!level.empty()) words.push_back(level);
  return words;
}

std::vector<std::string> guarded_words(const std::vector<std::string>& words, bool& pending) {
  const EffectChain chain = parse_effect_chain(words);
  std::vector<std::string> out;
  for (const auto& effect : chain.effects()) {
    if (!pending && !effect->sets_gain())
      out.insert(out.end(), {"gain", "-h"}), pending = true;
    else if (pending && effect->sets_gain())
      out.insert(out.end(), {"gain", "-r"}), pending = false;
    // The effect's words: its description is its name and arguments as typed, space separated.
    const std::string text = effect->description();
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t space = std::min(text.find(' ', at), text.size());
      if (space > at) out.push_back(text.substr(at, space - at));
      at = space + 1;
    }
  }
  return out;
}

std::string numbered_output(const std::string& output, std::size_t count) {
  // sox's fndup_with_count (sox.c), in our words.
  std::string out;
  bool marker = false;
  for (std::size_t i = 0; i < output.size(); ++i) {
    if (output[i] != '%') {
      out += output[i];
      continue;
    }
    int width = 2;
    if (i + 1 < output.size() && output[i + 1] >= '1' && output[i + 1] <= '9')
      width = output[++i] - '0';
    if (i + 1 >= output.size()) break; // a '%' (and digit) at the end: sox drops it
    if (output[i + 1] != 'n') {
      out += output[++i]; // sox drops the '%' (and a digit) and keeps the next character
      continue;
    }
    ++i;
    marker = true;
    std::string digits = std::to_string(count);
    if (digits.size() < static_cast<std::size_t>(width))
      digits.insert(0, static_cast<std::size_t>(width) - digits.size(), '0');
    out += digits;
  }
  if (marker) return out;
  std::string digits = std::to_string(count);
  if (digits.size() < 3) digits.insert(0, 3 - digits.size(), '0');
  const std::size_t slash = out.rfind('/');
  const std::size_t name = slash == std::string::npos ? 0 : slash + 1;
  const std::size_t dot = out.rfind('.');
  const std::size_t at = dot == std::string::npos || dot < name ? out.size() : dot;
  return out.insert(at, digits);
}

namespace {

// Effects: refuses what a chain split by ':' cannot do (the segments are already parsed).
void check_segments(const std::vector<ChainSegment>& segments) {
  if (segments.size() < 2) return;
  for (const ChainSegment& segment : segments) {
    if (segment.kind != ChainSegment::Kind::effects) continue;
    const EffectChain chain = parse_effect_chain(segment.words);
    if (!chain.norms_to_measure().empty())
      throw std::invalid_argument(chain.norms_to_measure().front()->description() +
                                  ": needs the whole input first; it cannot run in effects split "
                                  "by ':' (newfile, restart)");
  }
}

} // namespace

void validate_effects(const std::vector<std::string>& words) {
  check_segments(split_effect_chain(words));
}

bool effects_split_output(const std::vector<std::string>& words) {
  return splits_output(split_effect_chain(words));
}

ProcessResult run_process(const ProcessRequest& request, ProcessProgress& progress) {
  const auto started = std::chrono::steady_clock::now();
  // Bad effects are refused before any file is read, and so is a bad output format.
  const std::vector<ChainSegment> segments = split_effect_chain(request.effects);
  check_segments(segments);
  const bool to_null = request.output == null_name, to_stdout = request.output == stdout_name;
  const bool split = splits_output(segments);
  if (split && (to_null || to_stdout))
    throw std::invalid_argument(std::string("newfile writes numbered files; it cannot split ") +
                                (to_null ? "the null output -n" : "standard output ('-')") +
                                ": give an output file name");
  if (split && request.norm)
    throw std::invalid_argument("--norm needs the whole output first; it cannot run with newfile");
  if (!to_null) (void)output_format(request, 0);
  const std::string first_output = split ? numbered_output(request.output, 1) : request.output;
  check_paths(request, first_output);

  const bool from_null = request.input == null_name;
  std::optional<SoundFileReader> file;
  NullInput null;
  if (from_null)
    null = null_input(segments.front().words);
  else
    file.emplace(request.input, request.raw_input);
  SoundFileReader* reader = file ? &*file : nullptr;
  const int in_channels_count = reader ? reader->channels() : null.channels;
  const int in_rate = reader ? reader->rate() : null_rate;
  const std::uint64_t in_frames = reader ? reader->frames() : null.frames;
  const int in_bits = reader ? reader->pcm_bits() : 0;
  const std::size_t block_frames = block_frames_for(in_channels_count);
  const AudioFormat in_format{in_channels_count, double(in_rate), block_frames};
  // Each chain's words with the stages sox adds for -r, -c and --norm (sox adds them to each).
  std::vector<std::vector<std::string>> segment_words(segments.size());
  for (std::size_t k = 0; k < segments.size(); ++k)
    if (segments[k].kind == ChainSegment::Kind::effects)
      segment_words[k] = with_format_effects(segments[k].words, in_format, in_frames, request);
  const std::optional<OutputFormat> format =
      to_null ? std::nullopt : std::optional(output_format(request, in_bits));
  // sox dithers when the output holds fewer bits than the samples reaching it: an input deeper
  // than the output, or effects that computed new values.
  const int output_bits = format ? format->bits : 0;
  const int input_precision = in_bits > 0 ? in_bits : 32;
  // Returns: segment k's chain, unconfigured, with what the output asks for (sox builds each
  // chain anew when it starts, so a restarted chain starts from scratch).
  const auto make_chain = [&](std::size_t k) {
    const std::vector<std::string>& words = segment_words[k];
    EffectChain chain = parse_effect_chain(words);
    bool computed = false; // whether the effects compute new sample values (a probe's verdict)
    if (output_bits > 0 && output_bits <= 16 && request.dither) {
      EffectChain probe = parse_effect_chain(words);
      probe.set_input_length(in_frames, in_rate);
      (void)probe.configure(in_format);
      computed = !probe.keeps_precision();
    }
    if (output_bits > 0 && output_bits <= 16 && request.dither &&
        (computed || input_precision > output_bits))
      chain.add_automatic_dither(output_bits);
    // A restarted chain sees the whole input's length, as in sox.
    chain.set_input_length(in_frames, in_rate);
    chain.set_output_bits(output_bits);
    // sox's precision of the input: the PCM depth, 25 bits for float (silence masks its RMS).
    chain.set_input_precision(in_bits > 0 ? in_bits : 25);
    return chain;
  };
  EffectChain chain = make_chain(0);
  const AudioFormat out_format = chain.configure(in_format);
  const std::string chain_description_0 = chain.description(); // with an automatic rate
  std::vector<ChainStage> stages_0; // the first chain's stages, each with its output's shape
  for (std::size_t i = 0; i < chain.effects().size(); ++i)
    stages_0.push_back(
        {chain.effects()[i]->description(), chain.formats()[i].rate, chain.formats()[i].channels});
  const int out_rate = static_cast<int>(std::lround(out_format.rate));
  // Every chain writes the same format: the longest block any of them gives sizes the pool.
  std::size_t out_max_frames = out_format.max_frames;
  for (std::size_t k = 1; k < segments.size(); ++k) {
    if (segments[k].kind != ChainSegment::Kind::effects) continue;
    EffectChain probe = make_chain(k);
    const AudioFormat shape = probe.configure(in_format);
    if (shape.channels != out_format.channels || std::lround(shape.rate) != out_rate)
      throw std::invalid_argument(
          "the effects after ':' give " + std::to_string(std::lround(shape.rate)) + " Hz, " +
          std::to_string(shape.channels) + " channels, the first ones " + std::to_string(out_rate) +
          " Hz, " + std::to_string(out_format.channels) +
          " channels: every output file has one format");
    out_max_frames = std::max(out_max_frames, shape.max_frames);
  }
  if (format && (format->sf_format & SF_FORMAT_SUBMASK) == SF_FORMAT_OPUS && out_rate != 8000 &&
      out_rate != 12000 && out_rate != 16000 && out_rate != 24000 && out_rate != 48000)
    throw std::invalid_argument("Opus takes 8, 12, 16, 24 or 48 kHz, not " +
                                std::to_string(out_rate) + " Hz: put -r 48k before the output");

  progress.frames_total = in_frames;
  progress.passes = static_cast<int>(chain.norms_to_measure().size()) + 1;
  progress.pass = 1;
  PassInput input(reader, !chain.norms_to_measure().empty(), in_channels_count, in_frames);
  // Reading stops where the first effect takes no more (a trim's end), rather than a few
  // blocks later, when no ':' chain follows on the rest of the input.
  const std::uint64_t read_end = segments.size() == 1 && !chain.effects().empty()
                                     ? chain.effects().front()->frames_wanted()
                                     : UINT64_MAX;
  input.stop_at(read_end);
  SampleSpool norm_input; // what reaches a measured gain, replayed (measure_from_spool)
  if (!measure_from_spool(input, in_format, chain, progress, norm_input))
    run_measuring_passes(input, in_channels_count, chain, progress);
  // How far into the input the run got, when the output pass replays a spool instead.
  const std::uint64_t measured_frames_in = progress.frames_done;
  progress.frames_done = 0;
  // sox's speed hack (optimize_trim): when the first effect drops the input's first frames
  // whatever they hold (a trim), the input is sought past them and the effect counts from there.
  if (!chain.effects().empty() && !input.replaying()) {
    Effect& first = *chain.effects().front();
    if (const std::uint64_t skip = first.frames_before_output(); skip > 0 && input.skip_to(skip)) {
      first.start_at(skip);
      progress.frames_done = skip;
    }
  }

  ProcessResult result;
  // The files being written: each to a hidden temporary beside it, renamed into place at the
  // end (all of them, or on failure none).
  std::vector<fs::path> temporaries, targets;
  const auto remove_temporaries = [&] {
    std::error_code ec;
    for (const fs::path& t : temporaries) fs::remove(t, ec);
  };
  {
    // Messages name the file the user asked for, not the hidden temporary.
    std::unique_ptr<FrameSink> destination;
    const auto open_file = [&](const std::string& name) {
      targets.emplace_back(name);
      temporaries.push_back(temporary_beside(targets.back()));
      destination =
          std::make_unique<SoundFileWriter>(temporaries.back().string(), *format, out_rate,
                                            /*overwrite=*/false, out_format.channels, name);
      result.files.push_back({name, 0});
    };
    if (to_null) {
      destination = std::make_unique<NullSink>();
    } else if (to_stdout) {
      destination = std::make_unique<StreamWriter>(STDOUT_FILENO, *format, out_rate,
                                                   out_format.channels, std::nullopt);
      result.files.push_back({request.output, 0});
    } else {
      open_file(first_output);
    }
    const auto in_channels = static_cast<std::size_t>(in_format.channels);
    const auto out_channels = static_cast<std::size_t>(out_format.channels);
    const std::size_t out_stride = out_max_frames * out_channels;
    // A known input (or the part of it read: from a trim's start to its end) shorter than a
    // quarter of a pool touches few of its pages: those fault in one by one, the rest are never
    // zeroed (a pipe's length is unknown: populated).
    const std::uint64_t to_read = std::min(in_frames, read_end);
    const bool populate = (reader && !reader->seekable()) ||
                          to_read - std::min<std::uint64_t>(to_read, progress.frames_done) >=
                              pool_blocks * block_frames / 4;
    const PoolMemory in_pool(pool_blocks * block_frames * in_channels, populate);
    const PoolMemory out_pool(pool_blocks * out_stride, populate);
    BlockStack<BlockRef> free_in(pool_blocks), free_out(pool_blocks);
    BlockQueue<BlockRef> full_in(pool_blocks + 1), full_out(pool_blocks + 1);
    for (std::uint32_t i = pool_blocks; i-- > 0;) free_in.push({i}), free_out.push({i});

    std::atomic<bool> cancel{false};
    // No chain takes more input (a trim or silence ended the last one): reading stops, as sox
    // stops reading once its effects return SOX_EOF.
    std::atomic<bool> enough{false};
    std::string read_error, write_error, effect_error;
    std::uint64_t frames_out = 0, output_clipped = 0;
    const bool integer_output = output_bits > 0;

    std::thread reading([&] {
      for (;;) {
        BlockRef ref = free_in.pop();
        std::size_t n = 0;
        if (!cancel.load(std::memory_order_relaxed) && !enough.load(std::memory_order_relaxed)) {
          try {
            n = input.read(&in_pool[ref.index * block_frames * in_channels], block_frames);
          } catch (const std::exception& e) {
            read_error = e.what();
          }
        }
        ref.frames = static_cast<std::uint32_t>(n);
        ref.end = n == 0;
        full_in.push(ref);
        if (ref.end) return;
      }
    });
    // The writer thread owns `destination` (and the file lists) until it is joined.
    std::thread writing([&] {
      for (;;) {
        const BlockRef ref = full_out.pop();
        if (ref.end) return;
        if (ref.next_file) { // sox's newfile: this file is complete, the next part begins
          if (write_error.empty()) try {
              if (!destination->finalize()) throw std::runtime_error(destination->error());
              destination.reset();
              const std::string next = numbered_output(request.output, result.files.size() + 1);
              check_output_path(request, next);
              open_file(next);
            } catch (const std::exception& e) {
              write_error = e.what();
              cancel.store(true, std::memory_order_relaxed);
            }
          free_out.push({ref.index});
          continue;
        }
        const float* data = &out_pool[ref.index * out_stride];
        if (write_error.empty()) {
          if (integer_output)
            output_clipped += count_beyond_full_scale(data, ref.frames * out_channels);
          if (destination->write(ConstFrames{data, ref.frames, out_format.channels})) {
            frames_out += ref.frames;
            if (!result.files.empty()) result.files.back().frames += ref.frames;
          } else {
            // A reader of standard output that went away ends the run, as for sox | head.
            if (!destination->reader_gone()) write_error = destination->error();
            cancel.store(true, std::memory_order_relaxed);
          }
        }
        free_out.push(ref);
      }
    });

    // DSP on this thread: copy each chain output into an output block for the writer.
    auto emit = [&](AudioBlock out) {
      std::size_t done = 0;
      while (done < out.frames) {
        BlockRef ref = free_out.pop();
        const std::size_t n = std::min(out.frames - done, out_max_frames);
        std::memcpy(&out_pool[ref.index * out_stride], out.data + done * out_channels,
                    n * out_channels * sizeof(float));
        ref.frames = static_cast<std::uint32_t>(n);
        full_out.push(ref);
        done += n;
      }
    };
    const EffectChain::Sink sink = emit; // made once: no std::function per block
    // What each chain run measured and clipped, kept as it ends (with ':' chains are rebuilt).
    const auto retire = [&](const EffectChain& done) {
      for (const auto& clip : done.clips()) { // (effect, samples)
        const auto same = std::find_if(result.clips.begin(), result.clips.end(),
                                       [&](const auto& c) { return c.first == clip.first; });
        if (same == result.clips.end())
          result.clips.push_back(clip);
        else
          same->second += clip.second;
      }
      for (EffectAnalysis& a : analyses_of(done, reader)) result.analyses.push_back(std::move(a));
      if (effect_error.empty()) effect_error = done.error();
    };
    std::size_t segment = 0;
    bool stopped = false;         // no chain left: the rest of the input is read and dropped
    std::uint64_t part_taken = 0; // input frames the running chain took
    std::size_t idle_ends = 0;    // chains in a row that ended without taking input
    for (;;) {
      const BlockRef ref = full_in.pop();
      if (ref.end) break;
      float* data = &in_pool[ref.index * block_frames * in_channels];
      std::size_t used = 0;
      while (!stopped && used < ref.frames) {
        const ChainOutcome outcome =
            chain.process({data + used * in_channels, ref.frames - used, in_format.channels}, sink);
        if (!outcome.ended) break;
        used += outcome.frames_used;
        part_taken += outcome.frames_used;
        idle_ends = part_taken > 0 ? 0 : idle_ends + 1;
        part_taken = 0;
        // The chain ended its output: what the effects after the ending one hold comes out,
        // then sox's advance to the next chain (newfile: a new file; restart: the first chain).
        chain.flush(sink);
        retire(chain);
        bool new_file = false;
        std::size_t next = segment + 1;
        while (next < segments.size() && segments[next].kind != ChainSegment::Kind::effects) {
          if (segments[next].kind == ChainSegment::Kind::newfile)
            new_file = true, ++next;
          else
            next = 0;
        }
        if (next >= segments.size() || idle_ends > segments.size()) {
          if (next < segments.size())
            effect_error = "the effects end their output without taking any input: they would "
                           "write files for ever";
          stopped = true;
          enough.store(true, std::memory_order_relaxed);
          break;
        }
        if (new_file) {
          BlockRef marker = free_out.pop(); // a pool block in circulation: the queue never fills
          marker.frames = 0;
          marker.next_file = true;
          full_out.push(marker);
        }
        segment = next;
        try { // validated before the run: only memory can fail here, and the threads must join
          chain = make_chain(segment);
          (void)chain.configure(in_format);
        } catch (const std::exception& e) {
          effect_error = e.what();
          stopped = true;
          enough.store(true, std::memory_order_relaxed);
          break;
        }
      }
      if (!stopped) part_taken += ref.frames - used;
      free_in.push(ref); // only after emit(): the chain may have worked in place
      progress.frames_done.fetch_add(ref.frames, std::memory_order_relaxed);
    }
    if (!stopped) {
      chain.flush(sink);
      retire(chain);
    }
    full_out.push({0, 0, true});
    reading.join();
    writing.join();

    const bool closed = destination && destination->finalize(); // none: opening a part failed
    if (!read_error.empty() || !write_error.empty() || !effect_error.empty() || !closed) {
      remove_temporaries();
      throw std::runtime_error(!read_error.empty()     ? read_error
                               : !write_error.empty()  ? write_error
                               : !effect_error.empty() ? effect_error
                               : destination           ? destination->error()
                                                       : "no output file");
    }
    result.frames_out = frames_out;
    result.output_clipped = output_clipped;
  }
  for (std::size_t i = 0; i < temporaries.size(); ++i) try {
      move_into_place(temporaries[i], targets[i], request.overwrite);
    } catch (...) {
      std::error_code ec;
      for (std::size_t j = i + 1; j < temporaries.size(); ++j) fs::remove(temporaries[j], ec);
      throw;
    }

  result.input = request.input;
  result.output = request.output;
  result.input_format = reader ? reader->format() : "none (-n)";
  result.output_format = format ? format->description : "none (-n)";
  result.input_rate = in_rate;
  result.output_rate = out_rate;
  result.input_channels = in_channels_count;
  result.output_channels = out_format.channels;
  result.frames_in = input.replaying() ? measured_frames_in : progress.frames_done.load();
  // The effects as run (with automatic dither), each chain's, split as typed.
  for (std::size_t k = 0; k < segments.size(); ++k) {
    const std::string part = segments[k].kind == ChainSegment::Kind::newfile ? "newfile"
                             : segments[k].kind == ChainSegment::Kind::restart
                                 ? "restart"
                                 : (k == 0 ? chain_description_0 : make_chain(k).description());
    if (part.empty()) continue;
    if (!result.chain.empty()) result.chain += " : ";
    result.chain += part;
  }
  result.stages = std::move(stages_0);
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

} // namespace rc
