// engine/live/capture_session.hpp - capture from start to finish: device -> rings -> file.
#pragma once

#include "engine/audio/input_conversion.hpp"
#include "engine/capture/capture_report.hpp"
#include "engine/capture/capture_worker.hpp"
#include "engine/core/live_controls.hpp"
#include "engine/files/output_format.hpp"
#include "engine/live/capture_rig.hpp"
#include "engine/tap/tap_publisher.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rc {

/// Everything `ringcorder capture` can be asked for.
struct CaptureOptions {
  std::string output_path; ///< File to create; a pattern; "-": standard output.
  int stream_fd = 1;   ///< With "-": the descriptor the stream is written to (standard output's).
  OutputFormat format; ///< From output_format_for().
  bool overwrite = false;             ///< --force.
  std::string device;                 ///< Index or name substring; empty: default input.
  int rate = 0;                       ///< Hz; 0: the device's default rate.
  int period = 0;                     ///< Frames per callback; 0: the host's choice.
  double latency = 0;                 ///< Suggested input latency, s; 0: device low default.
  std::size_t ring_frames = 0;        ///< Frame ring capacity; 0: about 2 s of audio.
  double duration = 0;                ///< Seconds to record; 0: until a stop signal.
  std::optional<ChannelMap> channels; ///< Device channels to record; default: first two.
  /// --port: JACK output ports to record (wildcards), a channel each, through our own JACK
  /// client `jack_name` instead of a PortAudio device; empty: the device.
  std::vector<std::string> ports;
  std::string jack_name = "ringcorder";  ///< With `ports`: the JACK client's name.
  std::optional<WorkerStall> test_stall; ///< Test-only fault injection.
  std::vector<std::string> effects;      ///< Effect chain (sox syntax), run by the worker.
  bool dither = true;                    ///< Automatic dither for <= 16-bit output.
  double split_seconds = 0;              ///< --split: a new file every this long; 0: one file.
  bool split_channels = false;           ///< --split-channels: a mono file per channel (%c).
  std::uint64_t split_bytes = 0;         ///< --split-size: files at most this big; 0: no cap.
  bool armed = false;          ///< --trigger, --pre-roll, --trigger-level: record takes only.
  double pre_roll_seconds = 0; ///< --pre-roll: audio from before each trigger, s.
  std::optional<double> trigger_level_db; ///< --trigger-level: dBFS peak that starts a take.
  double hold_seconds = 2;                ///< --hold: quiet that ends a level-started take, s.
  std::string tap_name;     ///< --tap: publish what is written to this tap; empty: no tap.
  TapGeometry tap_geometry; ///< --tap-slots, --tap-slot-frames.
};

/// The longest pre-roll: the frame ring holds it (16 bytes a frame: ten minutes at 48 kHz is
/// 460 MB, a sane ceiling).
inline constexpr double max_pre_roll_seconds = 600;

/// Returns: whether the capture streams to standard output (its output is "-", as in arecord).
inline bool writes_standard_output(const CaptureOptions& options) {
  return options.output_path == "-";
}

/// Returns: why `options` cannot run as asked, whatever the device ("" when they can): a
/// pre-roll over max_pre_roll_seconds, split files asked of triggered takes, a tap of a bad
/// geometry. run_capture() refuses such options; a command line checks them first for a usage
/// error. Any thread; real-time: no (builds a string).
std::string capture_options_problem(const CaptureOptions& options);

/// Main thread, inside a PortAudioSession (with `ports`: after prepare_jack_client() instead, and
/// no PortAudioSession, whose JACK client would hold the name). Effects: opens the device (or
/// connects the JACK ports) and the file, records until
/// the duration is reached, `controls` asks for a stop or something fails, then drains the ring,
/// finalizes the file and returns the report. While it runs, each new rotation `controls` asks for
/// starts the next file (not one asked for before the stream started), and for an armed capture
/// each signal trigger (every one so far, also those before the stream started) and each Enter
/// starts or ends a take. Throws: std::runtime_error for problems found before recording starts
/// (bad device, rate, file; std::invalid_argument when capture_options_problem() names one);
/// failures during recording are returned in report.error with
/// stop_reason error.
CaptureReport run_capture(const CaptureOptions& options, LiveControls& controls,
                          const CaptureStatusCallback& on_status);

} // namespace rc
