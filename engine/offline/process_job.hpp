// engine/offline/process_job.hpp - file -> effect chain -> file, with reading, DSP and writing
// on three threads joined by rings.
#pragma once

#include "engine/dsp/analysis_effects.hpp"
#include "engine/files/output_format.hpp"
#include "engine/files/sound_file_reader.hpp"

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rc {

/// One `ringcorder process` conversion.
struct ProcessRequest {
  std::string input;  ///< Input file; "-": standard input (read once, spooled for a second pass).
  std::string output; ///< Output file (written to a temporary, then renamed); "-": standard
                      ///< output (WAV or raw, -t); "-n": none (sox's null file: analysis only).
  std::optional<RawInput> raw_input; ///< A headerless input's format (-t raw -r -c -e -b).
  std::string type;                  ///< -t before the output; empty: from its extension.
  std::string encoding; ///< -e; empty: the input's precision (integer PCM) or the default.
  int bits = 0;         ///< -b before the output; 0: as `encoding` says.
  int rate = 0;         ///< -r before the output: a rate effect is added as sox does; 0: none.
  int channels = 0;     ///< -c before the output: a channels effect is added; 0: none.
  /// --norm[=DB]: the output normalised after the effects and the format stages (sox's guarded
  /// norm, norm_words(): the chain guarded as with -G); the level ("" for 0 dBFS), or nothing.
  std::optional<std::string> norm;
  /// -G: sox's guard against clipping (guarded_words()): gain -h and gain -r around the effects
  /// and the format stages, and a last gain -h or -rh before the dither.
  bool guard = false;
  std::vector<std::string> effects; ///< Effect words, sox syntax.
  bool overwrite = false;           ///< --force.
  bool dither = true;               ///< Automatic dither for <= 16-bit output (--no-dither).
};

/// What an analysis effect (stat, stats) measured in a conversion.
struct EffectAnalysis {
  std::string effect;                ///< The effect as typed, e.g. "stats -w 0.1".
  std::optional<StatFigures> stat;   ///< For stat.
  std::optional<StatsFigures> stats; ///< For stats (none if no audio reached it).
  std::string text;                  ///< sox's text for it, for stderr ("" for stats of nothing).
};

/// One stage of a chain as it ran: sox -V3's "effects chain:" line.
struct ChainStage {
  std::string effect; ///< The effect as typed ("gain -h", "rate 44100").
  double rate = 0;    ///< Its output's rate, Hz.
  int channels = 0;   ///< Its output's channel count.
};

/// One file a conversion wrote.
struct WrittenFile {
  std::string path;         ///< As written: the output, or a numbered part of it (: newfile).
  std::uint64_t frames = 0; ///< Frames in it.
};

/// What a conversion did.
struct ProcessResult {
  std::string input, output;               ///< Files.
  std::string input_format, output_format; ///< Descriptions.
  int input_rate = 0, output_rate = 0;     ///< Hz.
  int input_channels = 0, output_channels = 0;
  std::uint64_t frames_in = 0, frames_out = 0;
  std::string chain;              ///< Effects as run, including automatic dither.
  std::vector<ChainStage> stages; ///< The same, each with its output's shape.
  std::vector<std::pair<std::string, std::uint64_t>> clips; ///< Per effect that clipped.
  std::uint64_t output_clipped = 0;     ///< Samples beyond full scale at an integer output.
  double seconds = 0;                   ///< Wall time.
  std::vector<EffectAnalysis> analyses; ///< Per stat or stats effect, in chain order; with
                                        ///< several chains (:), per chain run, in run order.
  std::vector<WrittenFile> files;       ///< Files written, in order: the output ("-" for
                                        ///< standard output, none for -n), or with : newfile
                                        ///< each numbered part (numbered_output()).
};

/// Progress of a running conversion, readable from any thread.
struct ProcessProgress {
  std::atomic<std::uint64_t> frames_done{0};  ///< Input frames through the chain (this pass).
  std::atomic<std::uint64_t> frames_total{0}; ///< Input frames per pass.
  std::atomic<int> pass{1};                   ///< Current pass (norm adds measuring passes).
  std::atomic<int> passes{1};                 ///< Passes in all.
};

/// Returns: the name of the `count`-th (from 1) file an output split by newfile writes, by sox
/// 14.4.2's rule: each "%n" in `output` becomes the count in at least 2 digits, "%Dn" (D 1 to
/// 9) in at least D digits; without such a marker the count in at least 3 digits goes before
/// the file name's extension (out.wav: out001.wav), or at its end. As in sox, any other '%' is
/// dropped with the digit after it. Unlike sox the extension is looked for only in the file's
/// name, not in its directories.
std::string numbered_output(const std::string& output, std::size_t count);

/// Effects: validates the request (files, formats, effects), converts, and renames the result
/// into place. Effects split by sox's pseudo-effects (split_effect_chain) run one chain after
/// another on the rest of the input each time a chain's effect ends the output (silence); after
/// a newfile the output goes on into the next numbered file (numbered_output()), all of the same
/// format, and a restart runs the first chain again, as sox does. Returns: what was done. Throws:
/// std::invalid_argument for a bad request (bad effects or format, output == input) and
/// std::runtime_error for everything else (unreadable input, existing output without overwrite,
/// write errors); in every case no file is left under the output name unless it is complete, and
/// the input is never changed.
ProcessResult run_process(const ProcessRequest& request, ProcessProgress& progress);

/// Returns: the effect sox's --norm[=LEVEL] adds after the chain and the format stages: gain -nh
/// [LEVEL] (--norm guards the chain as -G does, and its gain takes the guard's last place).
std::vector<std::string> norm_words(const std::string& level);

/// Returns: `words` (effects before any dither) with sox -G's gains: gain -h before an effect
/// that does not set the gain (Effect::sets_gain) when no gain -h awaits, gain -r before one
/// that does when a gain -h awaits (sox's add_effect). `pending` is that state, in and out:
/// whether a gain -h awaits its gain -r. Throws: std::invalid_argument for a bad chain.
std::vector<std::string> guarded_words(const std::vector<std::string>& words, bool& pending);

/// Effects: checks `words` as an effect chain, split by sox's pseudo-effects
/// (split_effect_chain), without running it. Throws: std::invalid_argument; also for a split
/// chain with an effect that needs the whole input first (norm, gain -n and the like).
void validate_effects(const std::vector<std::string>& words);

/// Returns: true if `words` (valid effect words) split the output into numbered files (newfile).
bool effects_split_output(const std::vector<std::string>& words);

} // namespace rc
