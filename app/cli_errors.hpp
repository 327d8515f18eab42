// app/cli_errors.hpp - command-line mistakes in ringcorder's words: what CLI11 found, said as a
// user of sox or git expects it, with a "did you mean" where a name is close to a real one.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace rc::app {

/// Returns: `words`' member closest to `word` by edit distance when close enough to be a typo
/// (at most a third of its length, and 2, away), or empty.
std::string closest_name(const std::string& word, const std::vector<std::string>& words);

/// Returns: the names of `app`'s commands (its subcommands), in the order they were added.
std::vector<std::string> command_names(const CLI::App& app);

/// Main thread, after `app.parse` threw `error` (a real usage error, not --help). Returns: one
/// line saying what is wrong: an unknown command or option (with the closest real name), an
/// unexpected argument, an option given twice or without its value, a value out of range; other
/// errors in CLI11's words.
std::string parse_error_text(const CLI::App& app, const CLI::ParseError& error);

} // namespace rc::app
