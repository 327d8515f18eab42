// app/live_args.cpp - see live_args.hpp.
#include "app/live_args.hpp"

#include "engine/dsp/chain_parser.hpp"
#include "engine/tap/tap_segment.hpp"
#include "engine/util/parse_number.hpp"

#include <CLI/CLI.hpp>

#include <cmath>

namespace rc::app {

void usage_error(const std::string& message) { throw CLI::ValidationError(message); }

void refuse_problem(const std::string& problem) {
  if (!problem.empty()) usage_error(problem);
}

void set_help_footer(CLI::App& cmd, const std::string& notes,
                     std::initializer_list<const char*> examples) {
  std::string footer = notes;
  if (!footer.empty()) footer += "\n";
  footer += "Examples:";
  for (const char* example : examples) footer += std::string("\n  ") + example;
  cmd.footer(footer);
}

void add_stream_options(CLI::App& cmd, StreamArgs& args, Sides sides,
                        const std::string& latency_help) {
  if (sides == Sides::input) {
    cmd.add_option("-d,--device", args.device, "Input device: index or part of its name");
  } else {
    cmd.add_option("-d,--device", args.device, "Device for both sides: index or part of its name");
    cmd.add_option("--in", args.in, "Input device (default: the default input)");
    cmd.add_option("--out", args.out, "Output device (default: the input device's name)");
  }
  cmd.add_option("-r,--rate", args.rate,
                 sides == Sides::input ? "Sample rate in Hz (default: the device's)"
                                       : "Sample rate in Hz (default: the input device's)")
      ->check(CLI::Range(1000, 768000));
  cmd.add_option("-p,--period", args.period, "Frames per callback (default: the host's choice)")
      ->check(CLI::Range(16, 65536));
  cmd.add_option("--latency", args.latency, latency_help);
}

std::string input_device(const StreamArgs& args) {
  if (!args.device.empty() && (!args.in.empty() || !args.out.empty()))
    usage_error("--device names both sides; use it or --in/--out, not both");
  return args.in.empty() ? args.device : args.in;
}

std::string output_device(const StreamArgs& args) {
  return args.out.empty() ? args.device : args.out;
}

CLI::Option* add_duration_option(CLI::App& cmd, std::string& duration, const std::string& help) {
  return cmd.add_option("-t,--duration", duration, help);
}

CLI::Option* add_channels_option(CLI::App& cmd, std::string& channels, const std::string& help,
                                 const char* alias) {
  return cmd.add_option(
      alias ? std::string("-c,--channels,") + alias : std::string("-c,--channels"), channels, help);
}

CLI::Option* add_ring_option(CLI::App& cmd, std::size_t& ring, const std::string& help) {
  return cmd.add_option("--ring", ring, help)
      ->check(CLI::Range(std::size_t{64}, std::size_t{1} << 26));
}

CLI::Option* add_buffer_option(CLI::App& cmd, std::size_t& buffer, const std::string& help) {
  return cmd.add_option("-b,--buffer", buffer, help)
      ->check(CLI::Range(std::size_t{16}, std::size_t{1} << 20));
}

void add_file_options(CLI::App& cmd, FileArgs& args, const std::string& what, bool dither) {
  cmd.add_option("-e,--encoding", args.encoding,
                 "Encoding of " + what + ": 16, 24, 32 or float (default: float; FLAC 24)");
  cmd.add_flag("-f,--force", args.force, "Overwrite " + what + " if it exists");
  if (dither)
    cmd.add_flag("--no-dither", args.no_dither,
                 "No automatic dither when " + what + " has 16 bits or fewer");
}

OutputFormat file_format(const std::string& path, const FileArgs& args) {
  refuse_directory(path);
  std::string error;
  const auto format = output_format_for(path, args.encoding, error);
  if (!format) usage_error(error);
  return *format;
}

void refuse_unused_encoding(const FileArgs& args, const char* option) {
  if (!args.encoding.empty()) usage_error(std::string("--encoding applies to ") + option + " only");
}

void check_live_chain(const std::vector<std::string>& effects) {
  try {
    const EffectChain chain = parse_effect_chain(effects);
    if (const Effect* e = chain.first_offline_only())
      usage_error(e->description() + ": works on files only (use ringcorder process)");
  } catch (const std::invalid_argument& e) {
    usage_error(e.what());
  }
}

std::optional<int> parse_channel_number(const std::string& text) {
  const auto number = parse_finite(text);
  if (!number || *number < 1 || *number > max_channel_number || *number != std::floor(*number))
    return std::nullopt;
  return static_cast<int>(*number) - 1;
}

void add_channel_options(CLI::App& cmd, ChannelArgs& args, const std::string& what) {
  cmd.add_option("-c", args.count,
                 "How many channels to " + what + ": the device's first N, from 1 to " +
                     std::to_string(max_channels) + " (default: 2, or 1 from a mono device)");
  cmd.add_option("--channels", args.list,
                 "Which device channels to " + what +
                     ", from 1, in any order and number, ranges allowed: e.g. 3 (a mono "
                     "file), 3,4 or 1,2,5-8");
}

ChannelMap parse_channel_list(const std::string& text) {
  const auto refuse = [&text] {
    usage_error("--channels takes device channels from 1 to " + std::to_string(max_channel_number) +
                ", separated by commas, ranges allowed, e.g. 3,4 or 1,2,5-8 (got '" + text + "')");
  };
  ChannelMap map;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    const std::string item = text.substr(start, comma == std::string::npos ? comma : comma - start);
    const std::size_t dash = item.find('-', 1); // not a leading minus: "-3" is no channel
    const auto first = parse_channel_number(item.substr(0, dash));
    const auto last =
        dash == std::string::npos ? first : parse_channel_number(item.substr(dash + 1));
    if (!first || !last || *last < *first) refuse();
    for (int c = *first; c <= *last; ++c) {
      if (map.count == max_channels)
        usage_error("--channels lists more than " + std::to_string(max_channels) + " channels");
      map.source[static_cast<std::size_t>(map.count++)] = static_cast<std::uint16_t>(c);
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return map;
}

std::optional<ChannelMap> channel_map(const ChannelArgs& args) {
  std::optional<ChannelMap> map;
  if (!args.list.empty()) map = parse_channel_list(args.list);
  if (args.count.empty()) return map;
  // -c used to pick device channels ("-c 3,4"): a value only that can mean is named as such.
  if (args.count.find_first_of(",-", 1) != std::string::npos)
    usage_error("-c is a channel count now (as in arecord and sox); to pick device channels " +
                args.count + " use --channels " + args.count);
  const auto count = parse_channel_number(args.count);
  if (!count)
    usage_error("-c takes a channel count from 1 to " + std::to_string(max_channels) + " (got '" +
                args.count + "')");
  const int n = *count + 1;
  if (map && map->count != n)
    usage_error("-c " + args.count + " but --channels lists " + std::to_string(map->count) +
                (map->count == 1 ? " channel" : " channels"));
  return map ? map : ChannelMap::first(n);
}

double parse_latency(const std::string& text) {
  if (text.empty()) return 0;
  const auto latency = parse_finite(text);
  if (!latency || *latency <= 0 || *latency > 10)
    usage_error("--latency takes seconds between 0 and 10 (got '" + text + "')");
  return *latency;
}

double parse_duration_option(const std::string& text, const char* option) {
  if (text.empty()) return 0;
  const auto duration = parse_duration(text);
  if (!duration || *duration <= 0 || *duration > max_duration_seconds)
    usage_error(std::string(option) + " takes a positive time such as 10, 2.5 or 1:30 (got '" +
                text + "')");
  return *duration;
}

void add_tap_options(CLI::App& cmd, TapArgs& args) {
  cmd.add_option("--tap", args.name,
                 "Publish what is written to the shared-memory tap NAME, for 'ringcorder tap "
                 "NAME' in other processes (never slowed down by them)");
  cmd.add_option("--tap-slots", args.slots, "Slots in the tap's ring (default: 256)")
      ->check(CLI::Range(std::uint32_t{2}, std::uint32_t{1} << 20));
  cmd.add_option("--tap-slot-frames", args.slot_frames,
                 "Frames per tap slot; bigger blocks take several (default: 1024)")
      ->check(CLI::Range(std::uint32_t{16}, std::uint32_t{1} << 20));
}

std::string tap_name(const TapArgs& args) {
  if (args.name.empty()) return {};
  if (const std::string problem = tap_name_problem(args.name); !problem.empty())
    usage_error("--tap: " + problem);
  return args.name;
}

} // namespace rc::app
