// app/live_args.hpp - the options the commands share, each declared once: the device and its
// stream (-D, --in, --out, -r, -p, --latency), the run (-d, -c, --channels, --ring, --buffer),
// an output file (-t, -e, -b, -f, --no-dither), the tap (--tap...), and the effect chain. Short
// options mean what they mean in arecord and sox; an old spelling's value that can only mean
// the old thing is refused naming the new option.
#pragma once

#include "engine/audio/input_conversion.hpp"
#include "engine/files/output_format.hpp"
#include "engine/tap/tap_publisher.hpp"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
} // namespace CLI

namespace rc::app {

/// Effects: throws CLI::ValidationError(message): a usage error (exit 2).
[[noreturn]] void usage_error(const std::string& message);

/// Effects: usage_error(problem) unless `problem` is empty: an engine rule's verdict on the
/// options (capture_options_problem() and its kin), as a usage error while CLI11 can say so.
void refuse_problem(const std::string& problem);

/// Effects: sets `cmd`'s help footer: `notes` (may be empty), then "Examples:" and each example
/// on its own line.
void set_help_footer(CLI::App& cmd, const std::string& notes,
                     std::initializer_list<const char*> examples);

/// Whether a live command uses one device (capture: its input) or two sides (--in, --out).
enum class Sides { input, duplex };

/// -D/--device (and with Sides::duplex --in and --out), -r/--rate, -p/--period, --latency.
struct StreamArgs {
  std::string device;  ///< -D: index or part of a name; both sides when duplex.
  std::string in, out; ///< --in, --out: each side on its own (duplex only).
  int rate = 0;        ///< -r, Hz; 0: the device's.
  int period = 0;      ///< -p, frames per callback; 0: the host's choice.
  std::string latency; ///< --latency, seconds as typed.
};
/// Effects: adds the stream options to `cmd`, storing into `args`; `latency_help` says what
/// --latency defaults to for this command.
void add_stream_options(CLI::App& cmd, StreamArgs& args, Sides sides,
                        const std::string& latency_help);
/// Returns: the input side's device spec. Throws: usage error for -d with --in or --out.
std::string input_device(const StreamArgs& args);
/// Returns: the output side's device spec (empty: the input's name).
std::string output_device(const StreamArgs& args);

/// Effects (these four): adds one option to `cmd`. Returns: it, for more settings.
/// Effects: adds -d/--duration (seconds or [[hh:]mm:]ss, as arecord's -d) to `cmd`, described
/// by `help`.
CLI::Option* add_duration_option(CLI::App& cmd, std::string& duration, const std::string& help);
/// Effects: adds --ring (capture ring capacity in frames) to `cmd`.
CLI::Option* add_ring_option(CLI::App& cmd, std::size_t& ring, const std::string& help);
/// Effects: adds -b/--buffer (playback ring target fill in frames) to `cmd`.
CLI::Option* add_buffer_option(CLI::App& cmd, std::size_t& buffer, const std::string& help);

/// -e/--encoding, -f/--force, --no-dither: an output file the command writes.
struct FileArgs {
  std::string type;       ///< -t: the container; empty: from the extension.
  std::string encoding;   ///< -e: 16, 24, 32, float, signed-integer, floating-point.
  std::string bits;       ///< -b: 16, 24 or 32, as typed; empty: from -e or the default.
  bool force = false;     ///< -f: overwrite.
  bool no_dither = false; ///< --no-dither.
  /// The command's -b used to be --buffer (playthrough): a frame count there is named so.
  bool b_was_buffer = false;
};
/// Whether a command's file options include -t and -b (process places sox's format options by
/// their position, as sox does: not these).
enum class TypeAndBits { yes, no };
/// Effects: adds the file options to `cmd`; `what` names the file in the help ("the output
/// file", "the recording"); `dither` false leaves --no-dither out; `defaults`: the encoding the
/// help names for neither -e nor -b (what file_format() or process's output_format_for() picks).
void add_file_options(CLI::App& cmd, FileArgs& args, const std::string& what, bool dither = true,
                      TypeAndBits type_and_bits = TypeAndBits::yes,
                      DefaultEncoding defaults = DefaultEncoding::pcm24);
/// Returns: the format of the file `path` written with `args`, 24-bit PCM by default
/// (DefaultEncoding::pcm24). Throws: usage error (unknown
/// extension or encoding); std::runtime_error when `path` is a directory.
OutputFormat file_format(const std::string& path, const FileArgs& args);
/// Effects: usage error naming `option` when -e was given without the file it applies to.
void refuse_unused_encoding(const FileArgs& args, const char* option);

/// Effects: parses the effect chain of a live command. Throws: usage error for a malformed chain
/// or an effect that works on files only (norm, rate, a fade-out), before any device is opened.
void check_live_chain(const std::vector<std::string>& effects);
/// The highest device channel number the options take (channels count from 1).
inline constexpr int max_channel_number = 256;
/// Returns: the 0-based index of the channel number `text` (1 to max_channel_number), nullopt
/// for anything else.
std::optional<int> parse_channel_number(const std::string& text);
/// -c N (a channel count: the device's first N) and --channels LIST (device channels from 1, in
/// any order and number, ranges allowed: 1,2,5-8), as arecord and sox users know them.
struct ChannelArgs {
  std::string count; ///< -c, as typed.
  std::string list;  ///< --channels, as typed.
};
/// Effects: adds -c and --channels to `cmd`; `what` names what they choose ("record").
void add_channel_options(CLI::App& cmd, ChannelArgs& args, const std::string& what);
/// Returns: the device channels -c and --channels ask for (nullopt: neither, the engine's
/// default). Throws: usage error for a bad count or list, a list where -c wants a count (the
/// option's old meaning, named with the new one), or both disagreeing.
std::optional<ChannelMap> channel_map(const ChannelArgs& args);
/// Returns: the device channels `text` lists ("1,2,5-8", from 1). Throws: usage error.
ChannelMap parse_channel_list(const std::string& text);
/// Returns: --latency in seconds (0 for ""). Throws: usage error outside (0, 10].
double parse_latency(const std::string& text);
/// Returns: the duration `option` (--duration, --split, --pre-roll, --hold) gives, in seconds
/// (0 for ""). Throws: usage error naming `option` unless positive and at most
/// max_duration_seconds.
double parse_duration_option(const std::string& text, const char* option);

/// Effects: usage error when a hidden old spelling was used in a command that has no such
/// option now (latency's -t, -b, -c): `old` is what was typed after it, `message` says what to
/// use instead.
void refuse_old_spelling(const std::string& old, const std::string& message);
/// Returns: the -d/--duration `text` gives, in seconds (0 for ""), as parse_duration_option.
/// Throws: usage error; for a value that is no time at all (a device name, as -d meant once)
/// one naming -D.
double parse_run_duration(const std::string& text);

/// Returns: the message for `-f WORD` when WORD is one of arecord's sample formats (cd, dat,
/// S16_LE...): -f is --force here (nothing when WORD is not such a format).
std::string arecord_format_problem(const std::string& word);

/// --tap NAME, --tap-slots N, --tap-slot-frames N (capture, playthrough): the shared-memory tap.
struct TapArgs {
  std::string name;                 ///< Empty: no tap.
  std::uint32_t slots = 256;        ///< Slots in the ring.
  std::uint32_t slot_frames = 1024; ///< Stereo frames per slot.
};
/// Effects: adds --tap, --tap-slots and --tap-slot-frames to `cmd`, storing into `args`.
void add_tap_options(CLI::App& cmd, TapArgs& args);
/// Returns: the --tap name ("" when not asked for). Throws: usage error for a name that cannot
/// name a tap (its size is the engine's rule: tap_geometry_problem()).
std::string tap_name(const TapArgs& args);
/// Returns: the ring the tap options ask for.
inline TapGeometry tap_geometry(const TapArgs& args) { return {args.slots, args.slot_frames}; }

} // namespace rc::app
