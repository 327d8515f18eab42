// app/effect_args.hpp - separates a trailing sox-style effect chain from a command's options.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace rc::app {

/// Effects: for the commands that take an effect chain (capture, playthrough, process), removes
/// everything from the first effect name after the command (sox style: "capture take.wav -t 10
/// gain -3") from `args` and returns it. The chain is cut off before CLI11 sees it, because
/// effect arguments such as "-3" or "-m" look like options (CLI11 would move an unknown "-m" out
/// of its place in the chain). A word that is the value of an option ("--device bass") is
/// not taken for an effect. Long options after the chain ("gain -3 --force"), with their value,
/// stay in `args`: no effect argument starts with "--". Which options take a value comes from
/// `app`'s definition of the command (its subcommand of that name, which must exist).
/// A word that is no effect but is followed by a negative number ("gian -3") starts the chain
/// too: it can only be a mistyped effect, and the command then says so (unknown_effect_text).
std::vector<std::string> take_effect_chain(std::vector<std::string>& args, const CLI::App& app);

/// Returns: the usage error for `word` where an effect should be: "unknown effect 'gian' (did
/// you mean 'gain'?)", the closest effect name when one is close enough to be a typo.
std::string unknown_effect_text(const std::string& word);

} // namespace rc::app
