// engine/live/playthrough_session.hpp - monitor an input through the DSP chain to an
// output: callback -> capture ring -> worker (chain, optional recording) -> playback ring ->
// callback.
#pragma once

#include "engine/live/capture_session.hpp"
#include "engine/live/playback_rig.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace rc {

/// Everything `ringcorder playthrough` can be asked for.
struct PlaythroughOptions {
  std::string input_device;           ///< Index or name substring; empty: default input.
  std::string output_device;          ///< Index or name substring; empty: the input's name.
  int rate = 0;                       ///< Hz; 0: the input device's default rate.
  int period = 0;                     ///< Frames per callback; 0: the host's choice.
  double latency = 0;                 ///< Suggested device latency, s; 0: low default.
  std::size_t buffer_frames = 0;      ///< Playback ring target fill; 0: one period
                                      ///< (host's choice: 512, or two of its first
                                      ///< callback).
  std::size_t ring_frames = 0;        ///< Capture ring capacity; 0: about 2 s.
  double duration = 0;                ///< Seconds; 0: until a stop signal.
  std::optional<ChannelMap> channels; ///< Input channels; default: first two.
  std::vector<std::string> effects;   ///< Effect chain (sox syntax), run by the worker.
  std::string record_path;            ///< --record FILE; empty: no recording.
  OutputFormat format;                ///< The recording's format.
  bool overwrite = false;             ///< --force for the recording.
  bool dither = true;                 ///< Automatic dither for <= 16-bit recordings.
  std::string tap_name;               ///< --tap: publish what the worker processes; empty: none.
  TapGeometry tap_geometry;           ///< --tap-slots, --tap-slot-frames.
};

/// The result of one playthrough run.
struct PlaythroughReport {
  CaptureReport capture;   ///< Input side and recording (output_path empty when not recording).
  PlaybackReport playback; ///< Output side.
};

/// Returns: why `options` cannot run as asked, whatever the device ("" when they can): a playback
/// target fill below one asked-for period, a tap of a bad geometry. run_playthrough() refuses
/// such options; a command line checks them first for a usage error. Any thread; real-time: no.
std::string playthrough_options_problem(const PlaythroughOptions& options);

/// Main thread, inside a PortAudioSession. Effects: runs until the duration, a stop `controls`
/// asks for or a failure, like run_capture. Throws: std::runtime_error before the stream starts
/// (std::invalid_argument for an unusable request).
PlaythroughReport run_playthrough(const PlaythroughOptions& options, LiveControls& controls,
                                  const CaptureStatusCallback& on_status);

/// Returns: the report as JSON / as human-readable lines.
std::string to_json(const PlaythroughReport& report);
std::string to_text(const PlaythroughReport& report);

} // namespace rc
