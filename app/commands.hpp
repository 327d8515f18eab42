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

/// `ringcorder devices`: the audio devices. Main thread, before parsing. Effects: adds the
/// command to `app` as `name`, with its options; sets `action` when it is chosen.
void add_devices_command(CLI::App& app, const std::string& name, const GlobalOptions& global,
                         Action& action);
/// `ringcorder capture`: an input to a file. Main thread, before parsing. Effects: as
/// add_devices_command().
void add_capture_command(CLI::App& app, const std::string& name, const GlobalOptions& global,
                         Action& action);
/// `ringcorder playthrough`: an input through the chain to an output. Main thread, before
/// parsing. Effects: as add_devices_command().
void add_playthrough_command(CLI::App& app, const std::string& name, const GlobalOptions& global,
                             Action& action);
/// `ringcorder latency`: the measured round trip. Main thread, before parsing. Effects: as
/// add_devices_command().
void add_latency_command(CLI::App& app, const std::string& name, const GlobalOptions& global,
                         Action& action);
/// `ringcorder process`: files through an effect chain. Main thread, before parsing. Effects:
/// as add_devices_command().
void add_process_command(CLI::App& app, const std::string& name, const GlobalOptions& global,
                         Action& action);
/// `ringcorder tap`: a running capture's tap. Main thread, before parsing. Effects: as
/// add_devices_command().
void add_tap_command(CLI::App& app, const std::string& name, const GlobalOptions& global,
                     Action& action);

/// A command: the word that chooses it and the function that adds it.
struct Command {
  const char* name;                                                          ///< "process"
  void (*add)(CLI::App&, const std::string&, const GlobalOptions&, Action&); ///< Adds it.
};

/// Every command, in the order `ringcorder --help` lists them.
inline constexpr std::array<Command, 6> all_commands{{{"devices", add_devices_command},
                                                      {"capture", add_capture_command},
                                                      {"playthrough", add_playthrough_command},
                                                      {"latency", add_latency_command},
                                                      {"process", add_process_command},
                                                      {"tap", add_tap_command}}};

} // namespace rc::app
