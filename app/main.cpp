// ringcorder - command-line entry point: parses arguments and hands each subcommand to the engine.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
  CLI::App app{"ringcorder: real-time audio capture, playthrough, offline processing and latency "
               "reports around a lock-free SPSC ring",
               "ringcorder"};
  app.set_version_flag("-V,--version", "ringcorder " RINGCORDER_VERSION);
  app.require_subcommand(0, 1);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 maps --help/--version to success and everything else to a non-zero code; usage
    // errors are exit code 2 throughout ringcorder.
    const int code = app.exit(e);
    return code == 0 ? EXIT_SUCCESS : 2;
  }
  if (argc == 1) {
    std::cout << app.help();
  }
  return EXIT_SUCCESS;
}
