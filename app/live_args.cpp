// app/live_args.cpp - see live_args.hpp.
#include "app/live_args.hpp"

#include "engine/dsp/chain_parser.hpp"
#include "engine/tap/tap_segment.hpp"
#include "engine/util/parse_number.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iterator>

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
    cmd.add_option("-D,--device", args.device, "Input device: index or part of its name");
  } else {
    cmd.add_option("-D,--device", args.device, "Device for both sides: index or part of its name");
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
  return cmd.add_option("-d,--duration", duration, help);
}

CLI::Option* add_ring_option(CLI::App& cmd, std::size_t& ring, const std::string& help) {
  return cmd.add_option("--ring", ring, help)
      ->check(CLI::Range(std::size_t{64}, std::size_t{1} << 26));
}

CLI::Option* add_buffer_option(CLI::App& cmd, std::size_t& buffer, const std::string& help) {
  return cmd.add_option("--buffer", buffer, help)
      ->check(CLI::Range(std::size_t{16}, std::size_t{1} << 20));
}

void add_file_options(CLI::App& cmd, FileArgs& args, const std::string& what, bool dither,
                      TypeAndBits type_and_bits, DefaultEncoding defaults) {
  if (type_and_bits == TypeAndBits::yes)
    cmd.add_option(
        "-t,--type", args.type,
        "File type of " + what +
            ": wav, flac, ogg, aiff, caf, w64, rf64 or raw (default: from the extension)");
  cmd.add_option("-e,--encoding", args.encoding,
                 "Encoding of " + what +
                     ": signed-integer or floating-point (also 16, 24, 32 or float; default: " +
                     (defaults == DefaultEncoding::pcm24 ? "24-bit PCM" : "float; FLAC 24") + ")");
  if (type_and_bits == TypeAndBits::yes)
    cmd.add_option("-b,--bits", args.bits, "Bits per sample of " + what + ": 16, 24 or 32");
  cmd.add_flag("-f,--force", args.force, "Overwrite " + what + " if it exists");
  if (dither)
    cmd.add_flag("--no-dither", args.no_dither,
                 "No automatic dither when " + what + " has 16 bits or fewer");
}

OutputFormat file_format(const std::string& path, const FileArgs& args) {
  refuse_directory(path);
  // -t used to be the duration: a time where a type belongs is named so.
  if (!args.type.empty() && parse_duration(args.type))
    usage_error("-t is the file type now (as in sox: -t wav, -t raw); for a duration of " +
                args.type + " use -d " + args.type);
  int bits = 0;
  if (!args.bits.empty()) {
    const auto value = parse_finite(args.bits);
    if (!value || *value != std::floor(*value) || *value < 1 || *value > 1e6)
      usage_error("-b takes the bits per sample: 16, 24 or 32 (got '" + args.bits + "')");
    bits = static_cast<int>(*value);
    if (bits != 16 && bits != 24 && bits != 32)
      usage_error(args.b_was_buffer
                      ? "-b is the bit depth now (16, 24 or 32, as in sox); for a playback "
                        "buffer of " +
                            args.bits + " frames use --buffer " + args.bits
                      : "-b takes the bits per sample: 16, 24 or 32 (got '" + args.bits + "')");
  }
  std::string error;
  const auto format = output_format_for(FormatRequest{path, args.type, args.encoding, bits}, error);
  if (!format) usage_error(error);
  return *format;
}

void refuse_unused_encoding(const FileArgs& args, const char* option) {
  if (!args.encoding.empty()) usage_error(std::string("--encoding applies to ") + option + " only");
  if (!args.bits.empty()) {
    if (args.b_was_buffer && args.bits != "16" && args.bits != "24" && args.bits != "32")
      usage_error("-b is the bit depth now (16, 24 or 32, as in sox); for a playback buffer of " +
                  args.bits + " frames use --buffer " + args.bits);
    usage_error(std::string("-b applies to ") + option + " only");
  }
  if (!args.type.empty()) {
    if (parse_duration(args.type))
      usage_error("-t is the file type now (as in sox: -t wav, -t raw); for a duration of " +
                  args.type + " use -d " + args.type);
    usage_error(std::string("-t applies to ") + option + " only");
  }
}

void refuse_old_spelling(const std::string& old, const std::string& message) {
  if (!old.empty()) usage_error(message);
}

double parse_run_duration(const std::string& text) {
  // -d used to be the device: a value that is no time at all is most likely one.
  if (!text.empty() && !parse_duration(text) && !parse_finite(text) &&
      text.find_first_of("0123456789") == std::string::npos)
    usage_error("-d is the duration now (as in arecord: -d 10 records 10 s); for the device '" +
                text + "' use -D " + text);
  return parse_duration_option(text, "--duration");
}

std::string arecord_format_problem(const std::string& word) {
  static const char* const named[] = {"cd", "cdr", "dat"};
  bool format = std::find(std::begin(named), std::end(named), word) != std::end(named);
  // S16_LE, U8, S24_3LE, FLOAT_LE, FLOAT64_BE, MU_LAW...: arecord's sample formats.
  if (!format && !word.empty() && (word[0] == 'S' || word[0] == 'U' || word.rfind("FLOAT", 0) == 0))
    format = word.size() >= 2 && (std::isdigit(static_cast<unsigned char>(word[1])) != 0 ||
                                  word.rfind("FLOAT", 0) == 0);
  if (!format) return {};
  return "-f is --force in ringcorder; for arecord's -f " + word +
         " use -r, -c and -b (-f cd: -r 44100 -c 2 -b 16; -f dat: -r 48000 -c 2 -b 16)";
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
