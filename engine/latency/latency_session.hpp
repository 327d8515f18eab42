// engine/latency/latency_session.hpp - `ringcorder latency`: play the multi-tone test signal,
// find it in the input through a loopback, and report the measured round trip.
#pragma once

#include "engine/capture/capture_report.hpp"
#include "engine/latency/multitone.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace rc {

/// Which path the test signal takes.
enum class LatencyPath {
  direct, ///< Written to the output inside the callback: the device/driver round trip.
  ring,   ///< Callback -> capture ring -> worker -> playback ring -> callback: what playthrough
          ///< adds on top of the direct path.
};

/// Everything `ringcorder latency` can be asked for.
struct LatencyOptions {
  std::string input_device;  ///< Index or name substring; empty: default input.
  std::string output_device; ///< Index or name substring; empty: the input's name.
  int rate = 0;              ///< Hz; 0: the input device's default rate.
  int period = 0;            ///< Frames per callback; 0: the host's choice.
  double latency = 0;        ///< Suggested device latency, s; 0: low default.
  double duration = 3;       ///< Seconds of measuring.
  int input_channel = 0;     ///< Device input channel the loopback returns on (0-based).
  LatencyPath path = LatencyPath::direct;
  std::size_t buffer_frames = 0; ///< Ring path: playback target fill; 0: as playthrough.
};

/// One measurement, for the report.
struct LatencyMeasurement {
  double time = 0; ///< Seconds into the run (end of its window).
  RoundTripEstimate estimate;
};

/// The result of `ringcorder latency`. Field names match the JSON keys (README: latency JSON).
struct LatencyReport {
  std::string input_device, output_device, host_api;
  std::string path; ///< "direct" or "ring".
  int rate = 0;
  int period = 0;                          ///< Frames per callback seen (the host's, if not asked).
  std::uint64_t buffer_frames = 0;         ///< Ring path: the playback target fill; 0 for direct.
  std::optional<double> reported_input_ms; ///< The host's claim (not measured), if it gave one.
  std::optional<double> reported_output_ms; ///< The host's claim (not measured), if it gave one.
  std::optional<double> reported_frames;    ///< (input + output claims) in frames, if both.
  std::string status;           ///< "ok", "inverted polarity", "ambiguous", "no signal".
  std::string message;          ///< A plain sentence about the status.
  std::size_t valid = 0;        ///< Measurements with a delay (ok or inverted).
  double round_trip_frames = 0; ///< Mean of the valid measurements.
  double round_trip_ms = 0;
  double min_frames = 0, max_frames = 0, stddev_frames = 0;
  double ring_adds_frames = 0; ///< Ring path: buffer_frames (what the ring path adds).
  std::vector<LatencyMeasurement> measurements;
  std::uint64_t underrun_events = 0, underrun_frames = 0; ///< Ring path playback shortages.
  bool worker_realtime = false;                           ///< The worker got SCHED_FIFO priority.
  CaptureReport stream; ///< Callback timing, ring fill, overruns, xruns.
};

/// Called with each new measurement on the controlling thread.
using LatencyProgress = std::function<void(const LatencyMeasurement&)>;

/// Main thread, inside a PortAudioSession. Effects: runs the duplex stream for the duration
/// (or until a stop signal) and measures. Throws: std::runtime_error before the stream starts.
LatencyReport run_latency(const LatencyOptions& options, const LatencyProgress& on_measurement);

/// Effects: fills status, message and the statistics of `report` from its measurements.
void summarize(LatencyReport& report);

/// Returns: the report as JSON / as human-readable lines.
std::string to_json(const LatencyReport& report);
std::string to_text(const LatencyReport& report);

} // namespace rc
