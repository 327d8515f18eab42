// app/commands.hpp - each subcommand registers its options and its action on the CLI.
#pragma once

#include "app/effect_args.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace rc::app {

/// Exit codes, the same for every command (README: "Exit codes").
enum ExitCode : int {
  exit_ok = 0,      ///< Success, including a stop by SIGINT/SIGTERM/SIGHUP.
  exit_failure = 1, ///< A runtime error: device, file, disk, audio server.
  exit_usage = 2,   ///< The command line is wrong.
};

/// Options every command shares.
struct GlobalOptions {
  std::string jack_name = "ringcorder"; ///< JACK client name (--jack-name).
  std::vector<std::string> effects;     ///< capture/playthrough/process: the effect chain.
  ProcessWords process;                 ///< process: its files and their format options.
};

/// What runs after parsing: returns the exit code.
using Action = std::function<int()>;

/// Effects: adds `ringcorder devices` to `app`; sets `action` when it is chosen.
void add_devices_command(CLI::App& app, const GlobalOptions& global, Action& action);
/// Effects: adds `ringcorder capture` to `app`; sets `action` when it is chosen.
void add_capture_command(CLI::App& app, const GlobalOptions& global, Action& action);
/// Effects: adds `ringcorder playthrough` to `app`; sets `action` when it is chosen.
void add_playthrough_command(CLI::App& app, const GlobalOptions& global, Action& action);
/// Effects: adds `ringcorder latency` to `app`; sets `action` when it is chosen.
void add_latency_command(CLI::App& app, const GlobalOptions& global, Action& action);
/// Effects: adds `ringcorder process` to `app`; sets `action` when it is chosen.
void add_process_command(CLI::App& app, const GlobalOptions& global, Action& action);
/// Effects: adds `ringcorder tap` to `app`; sets `action` when it is chosen.
void add_tap_command(CLI::App& app, const GlobalOptions& global, Action& action);

} // namespace rc::app
