// app/commands.hpp - each subcommand registers its options and its action on the CLI.
#pragma once

#include "app/effect_args.hpp"

#include <CLI/CLI.hpp>

#include <array>
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

/// The function that adds a command. Main thread, before parsing. Effects: adds the command to
/// `app` as `name`, with its options; sets `action` when it is chosen.
using AddCommand = void(CLI::App& app, const std::string& name, const GlobalOptions& global,
                        Action& action);

AddCommand add_devices_command;     ///< `ringcorder devices`: the audio devices.
AddCommand add_capture_command;     ///< `ringcorder capture`: an input to a file.
AddCommand add_playthrough_command; ///< `ringcorder playthrough`: input, chain, output.
AddCommand add_latency_command;     ///< `ringcorder latency`: the measured round trip.
AddCommand add_process_command;     ///< `ringcorder process`: files through an effect chain.
AddCommand add_tap_command;         ///< `ringcorder tap`: a running capture's tap.

/// A command: the word that chooses it and the function that adds it.
struct Command {
  const char* name; ///< "process"
  AddCommand* add;  ///< Adds it.
};

/// Every command, in the order `ringcorder --help` lists them.
inline constexpr std::array<Command, 6> all_commands{{{"devices", add_devices_command},
                                                      {"capture", add_capture_command},
                                                      {"playthrough", add_playthrough_command},
                                                      {"latency", add_latency_command},
                                                      {"process", add_process_command},
                                                      {"tap", add_tap_command}}};

} // namespace rc::app
