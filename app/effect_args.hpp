// app/effect_args.hpp - separates a trailing sox-style effect chain from a command's options.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace rc::app {

/// Effects: for the commands that take an effect chain (capture, playthrough, process), named by
/// `args[word]` (the command word, after the global options), removes
/// everything from the first effect name after the command (sox style: "capture take.wav -t 10
/// gain -3") from `args` and returns it. The chain is cut off before CLI11 sees it, because
/// effect arguments such as "-3" or "-m" look like options (CLI11 would move an unknown "-m" out
/// of its place in the chain). A word that is the value of an option ("--device bass") is
/// not taken for an effect. Long options after the chain ("gain -3 --force"), with their value,
/// stay in `args`: no effect argument starts with "--". Which options take a value comes from
/// `app`'s definition of the command (its subcommand of that name, which must exist).
/// A word that is no effect but is followed by a negative number ("gian -3") starts the chain
/// too: it can only be a mistyped effect, and the command then says so (unknown_effect_text).
std::vector<std::string> take_effect_chain(std::vector<std::string>& args, std::size_t word,
                                           const CLI::App& app);

/// sox's format options as typed before one file (-t -r -c -b -e; empty: not given).
struct FormatWords {
  std::string type, rate, channels, bits, encoding;
  std::string volume; ///< -v before an input: its samples scaled, as sox's -v.
  /// Returns: true when none was given.
  [[nodiscard]] bool empty() const noexcept {
    return type.empty() && rate.empty() && channels.empty() && bits.empty() && encoding.empty() &&
           volume.empty();
  }
};

/// A file of `process` with the format options typed before it, as sox reads them.
struct FileWord {
  std::string path;   ///< "-": standard input or output; "-n": sox's null file.
  FormatWords format; ///< The options before it (since the previous file).
};

/// `process`'s files in sox's order and their format options.
struct ProcessWords {
  std::vector<FileWord> files; ///< Inputs, then the output unless -o names it.
  FormatWords before_o;        ///< Options before -o (the output's when -o names it).
  FormatWords trailing;        ///< Options after the last file: the output's.
  std::string problem;         ///< A usage error found on the way ("-r needs a value").
  /// --norm[=DB]: normalise the output (sox's guarded norm): the level ("" for 0 dBFS), or
  /// nothing when not given.
  std::optional<std::string> norm;
  /// -V[LEVEL]: sox's verbosity, 0 to 6: 2 when not given, each bare -V one more, -VLEVEL sets it
  /// (LEVEL attached, as sox takes it).
  int verbosity = 2;
};

/// Effects: for `process` (`args[word]`, the command word), after take_effect_chain(), removes from
/// `args` the files and the format options (-t/--type, -r/--rate, -c/--channels, -b/--bits,
/// -e/--encoding, each with its value, also --opt=value) and returns them in order: each option
/// describes the next file, as in sox (before an input: how to read it; before the output: what to
/// write). "-" and "-n" are files. -V[LEVEL] is taken too (ProcessWords::verbosity; a bad level is
/// a problem). The other options stay for CLI11. Returns: nothing for other commands.
ProcessWords take_process_words(std::vector<std::string>& args, std::size_t word,
                                const CLI::App& app);

/// Returns: the usage error for `word` where an effect should be: "unknown effect 'gian' (did
/// you mean 'gain'?)", the closest effect name when one is close enough to be a typo.
std::string unknown_effect_text(const std::string& word);

} // namespace rc::app
