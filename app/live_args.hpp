// app/live_args.hpp - option values the live commands (capture, playthrough, latency) share.
#pragma once

#include "engine/audio/input_conversion.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace rc::app {

/// Effects: throws CLI::ValidationError(message): a usage error (exit 2).
[[noreturn]] void usage_error(const std::string& message);

/// Effects: parses the effect chain of a live command. Throws: usage error for a malformed chain
/// or an effect that works on files only (norm, rate, a fade-out), before any device is opened.
void check_live_chain(const std::vector<std::string>& effects);
/// Returns: the --channels pick ("a,b" or "a", from 1), nullopt for "". Throws: usage error.
std::optional<ChannelPick> parse_channels(const std::string& text);
/// Returns: --latency in seconds (0 for ""). Throws: usage error outside (0, 10].
double parse_latency(const std::string& text);
/// Returns: the duration `option` (--duration, --split) gives, in seconds (0 for "").
/// Throws: usage error naming `option` unless positive and at most max_duration_seconds.
double parse_duration_option(const std::string& text, const char* option = "--duration");

/// --tap NAME, --tap-slots N, --tap-slot-frames N (capture, playthrough): the shared-memory tap.
struct TapArgs {
  std::string name;                 ///< Empty: no tap.
  std::uint32_t slots = 256;        ///< Slots in the ring.
  std::uint32_t slot_frames = 1024; ///< Stereo frames per slot.
};
/// Effects: adds --tap, --tap-slots and --tap-slot-frames to `cmd`, storing into `args`.
void add_tap_options(CLI::App& cmd, TapArgs& args);
/// Returns: the --tap name ("" when not asked for). Throws: usage error for a name that cannot
/// name a tap, or a ring over 1 GiB.
std::string tap_name(const TapArgs& args);

} // namespace rc::app
