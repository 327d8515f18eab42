// app/devices_command.cpp - `ringcorder devices`: what can record and play, as text or JSON.
#include "app/commands.hpp"
#include "app/live_args.hpp"
#include "app/report_files.hpp"

#include "engine/device/device_list.hpp"
#include "engine/device/portaudio_session.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace rc::app {

namespace {

std::string devices_json(const std::vector<DeviceInfo>& devices) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const DeviceInfo& d : devices)
    out.push_back({{"index", d.index},
                   {"name", d.name},
                   {"host_api", d.host_api},
                   {"input_channels", d.max_input_channels},
                   {"output_channels", d.max_output_channels},
                   {"default_rate", d.default_sample_rate},
                   {"default_low_input_latency", d.default_low_input_latency},
                   {"default_high_input_latency", d.default_high_input_latency},
                   {"default_low_output_latency", d.default_low_output_latency},
                   {"default_high_output_latency", d.default_high_output_latency},
                   {"default_input", d.is_default_input},
                   {"default_output", d.is_default_output}});
  return out.dump(2) + "\n";
}

void print_text(const std::vector<DeviceInfo>& devices) {
  if (devices.empty()) {
    std::cout << "no audio devices (no sound card, and no JACK server running)\n";
    return;
  }
  std::printf("%3s  %-32s %-28s %3s %3s %8s  %-17s %-17s\n", "#", "name", "host API", "in", "out",
              "rate", "in latency ms", "out latency ms");
  for (const DeviceInfo& d : devices) {
    const std::string mark =
        std::string(d.is_default_input ? "<" : "") + (d.is_default_output ? ">" : "");
    std::printf("%3d  %-32s %-28s %3d %3d %8.0f  %6.1f .. %-7.1f %6.1f .. %-7.1f %s\n", d.index,
                d.name.c_str(), d.host_api.c_str(), d.max_input_channels, d.max_output_channels,
                d.default_sample_rate, d.default_low_input_latency * 1e3,
                d.default_high_input_latency * 1e3, d.default_low_output_latency * 1e3,
                d.default_high_output_latency * 1e3, mark.c_str());
  }
  std::cout << "(< default input, > default output)\n";
}

} // namespace

void add_devices_command(CLI::App& app, const std::string& name, const GlobalOptions& global,
                         Action& action) {
  auto* cmd = app.add_subcommand(name, "List audio devices (index, name, host API, "
                                       "channels, default rate and latencies)");
  struct DevicesArgs {
    bool json = false;
    std::string stats_json;
  };
  auto args = std::make_shared<DevicesArgs>();
  cmd->add_flag("--json", args->json, "Print the list as JSON instead of text (--stats-json -)");
  cmd->add_option("--stats-json", args->stats_json,
                  "Write the list as JSON to this file ('-': standard output, instead of text)");
  set_help_footer(*cmd, "",
                  {"ringcorder devices", "ringcorder devices --json | jq '.[].name'",
                   "ringcorder --jack-name probe devices --stats-json devices.json"});
  cmd->callback([&global, &action, args] {
    if (args->json && !args->stats_json.empty() && args->stats_json != "-")
      usage_error("--json prints to standard output; with --stats-json FILE, leave it out");
    action = [&global, args] {
      PortAudioSession audio(global.jack_name);
      const std::vector<DeviceInfo> devices = list_devices();
      const std::string json_path = args->json ? "-" : args->stats_json;
      if (!is_standard_output(json_path)) print_text(devices);
      return write_report_file(json_path, devices_json(devices), "device list") ? int(exit_ok)
                                                                                : int(exit_failure);
    };
  });
}

} // namespace rc::app
