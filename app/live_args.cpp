// app/live_args.cpp - see live_args.hpp.
#include "app/live_args.hpp"

#include "engine/dsp/chain_parser.hpp"
#include "engine/tap/tap_segment.hpp"
#include "engine/util/parse_number.hpp"

#include <CLI/CLI.hpp>

#include <cmath>

namespace rc::app {

void usage_error(const std::string& message) { throw CLI::ValidationError(message); }

void check_live_chain(const std::vector<std::string>& effects) {
  try {
    const EffectChain chain = parse_effect_chain(effects);
    if (const Effect* e = chain.first_offline_only())
      usage_error(e->description() + ": works on files only (use ringcorder process)");
  } catch (const std::invalid_argument& e) {
    usage_error(e.what());
  }
}

std::optional<ChannelPick> parse_channels(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const std::size_t comma = text.find(',');
  const auto left = parse_finite(text.substr(0, comma));
  const auto right = comma == std::string::npos ? left : parse_finite(text.substr(comma + 1));
  if (!left || !right || *left < 1 || *right < 1 || *left > 256 || *right > 256 ||
      *left != std::floor(*left) || *right != std::floor(*right))
    usage_error("--channels takes one or two channel numbers from 1, e.g. 3,4 (got '" + text +
                "')");
  return ChannelPick{static_cast<int>(*left) - 1, static_cast<int>(*right) - 1};
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
  if (std::uint64_t{args.slots} * args.slot_frames * 8 > (std::uint64_t{1} << 30))
    usage_error("--tap-slots x --tap-slot-frames: a tap is at most 1 GiB (8 bytes a frame)");
  return args.name;
}

} // namespace rc::app
