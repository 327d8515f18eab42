// ringcorder - command-line entry point: parses arguments and runs the chosen command.
//
// Data path: app/ parses and prints; engine/ owns devices, threads, DSP and files; ringbuf/
// carries audio from the PortAudio callback to the worker.
#include "app/cli_errors.hpp"
#include "app/commands.hpp"
#include "app/crash_report.hpp"
#include "app/effect_args.hpp"
#include "app/live_args.hpp"

#include "engine/util/text.hpp"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <new>
#include <string>

namespace {

// Every error is one line on stderr: "ringcorder: MESSAGE".
void print_error(const std::string& message) {
  std::cerr << "ringcorder: " << rc::one_line(message) << "\n";
}

} // namespace

int main(int argc, char** argv) {
  using namespace rc::app;
  install_crash_report();
  CLI::App app{"ringcorder: real-time audio capture, playthrough, offline processing and latency "
               "reports around a lock-free SPSC ring",
               "ringcorder"};
  app.set_version_flag("-V,--version", "ringcorder " RINGCORDER_VERSION);
  app.require_subcommand(0, 1);
  GlobalOptions global;
  app.add_option("--jack-name", global.jack_name, "JACK client name when using JACK")
      ->capture_default_str();

  Action action;
  std::vector<std::string> args(argv, argv + argc);
  // The command word follows the global options (--jack-name NAME).
  std::size_t word = 1;
  while (word < args.size()) {
    if (args[word] == "--jack-name")
      word += 2;
    else if (args[word].rfind("--jack-name=", 0) == 0)
      ++word;
    else
      break;
  }
  // Only the named command's options are built: they are most of the program's own start-up,
  // and a short `process` job is mostly start-up. Without a command word (--help lists every
  // command, a mistyped one is matched against them all), every command is.
  const bool help_word = word < args.size() && args[word] == "help";
  const std::size_t named = help_word ? word + 1 : word;
  const auto chosen = std::find_if(all_commands.begin(), all_commands.end(), [&](const Command& c) {
    return named < args.size() && args[named] == c.name;
  });
  for (const Command& command : all_commands)
    if (chosen == all_commands.end() || &command == &*chosen)
      command.add(app, command.name, global, action);

  // `ringcorder help [COMMAND]`, as git and jack users type it: the usage, or a command's.
  if (help_word) {
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(word));
    if (word < args.size()) {
      const std::vector<std::string> commands = command_names(app);
      if (std::find(commands.begin(), commands.end(), args[word]) == commands.end()) {
        const std::string close = closest_name(args[word], commands);
        print_error("unknown command '" + args[word] + "'" +
                    (close.empty() ? std::string() : " (did you mean '" + close + "'?)") +
                    " (see 'ringcorder --help')");
        return exit_usage;
      }
    }
    args.push_back("--help");
  }
  // arecord's -f FORMAT: ours is --force, and the format word would become the output's name.
  for (std::size_t i = word; i + 1 < args.size(); ++i)
    if (args[i] == "-f")
      if (const std::string problem = arecord_format_problem(args[i + 1]); !problem.empty()) {
        print_error(problem);
        return exit_usage;
      }
  // The commands that take a sox-style chain after their options: CLI11 must not see it.
  global.effects = take_effect_chain(args, word, app);
  global.process = take_process_words(args, word, app);
  std::vector<char*> remaining;
  for (std::string& a : args) remaining.push_back(a.data());

  try {
    app.parse(static_cast<int>(remaining.size()), remaining.data());
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" that exit 0: CLI11 prints them. Every real usage error
    // is exit 2 with one line on stderr, naming where to find the usage.
    if (e.get_exit_code() == 0) return app.exit(e) == 0 ? exit_ok : exit_usage;
    const auto commands = app.get_subcommands();
    const std::string help = commands.empty()
                                 ? "ringcorder --help"
                                 : "ringcorder " + commands.back()->get_name() + " --help";
    print_error(parse_error_text(app, e) + " (see '" + help + "')");
    return exit_usage;
  } catch (const std::invalid_argument& e) {
    // As from a command's action: a request that cannot work as asked.
    print_error(e.what());
    return exit_usage;
  } catch (const std::exception& e) {
    // A check the commands make while parsing that is about the machine, not the command line
    // (an output that is a directory): a runtime error.
    print_error(e.what());
    return exit_failure;
  }
  if (!action) {
    std::cout << app.help();
    return exit_ok;
  }
  try {
    return action();
  } catch (const std::invalid_argument& e) {
    // A request that cannot work as asked (an effect above Nyquist at the device's rate...).
    print_error(e.what());
    return exit_usage;
  } catch (const std::bad_alloc&) {
    print_error("out of memory");
    return exit_failure;
  } catch (const std::exception& e) {
    print_error(e.what());
    return exit_failure;
  }
}
