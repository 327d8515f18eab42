// engine/live/latency_session.hpp - `ringcorder latency`: play the multi-tone test signal,
// find it in the input through a loopback, and report the measured round trip.
#pragma once

#include "engine/capture/capture_report.hpp"
#include "engine/core/live_controls.hpp"
#include "engine/latency/jack_claim.hpp"
#include "engine/latency/multitone.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rc {

/// Which path the test signal takes.
enum class LatencyPath {
  direct, ///< Written to the output inside the callback: the device/driver round trip.
  ring,   ///< Callback -> capture ring -> worker -> playback ring -> callback: what playthrough
          ///< adds on top of the direct path.
};

/// Returns: "direct" or "ring", as --path names it and the reports say it.
const char* to_string(LatencyPath path) noexcept;

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
  int repeat = 1;                ///< Opens of the stream, each measured on its own (>= 1).
};

/// One measurement, for the report.
struct LatencyMeasurement {
  double time = 0; ///< Seconds into the run (end of its window).
  RoundTripEstimate estimate;
};

/// How a run's figure is decided from its windows.
struct LatencyRule {
  /// The result must lie within this many frames of the truth...
  static constexpr double tolerance_frames = 0.05;
  /// ...at this many standard errors: a result's standard error is at most tolerance / 4.
  static constexpr double sigmas = 4;
  /// At least this many windows of one length must agree...
  static constexpr std::size_t min_agreeing = 3;
  /// ...and they must be at least this fraction of that length's windows with a delay.
  static constexpr double min_agreeing_fraction = 0.8;
};

/// One open of the stream, when the run opens it several times (--repeat).
struct LatencyOpen {
  RoundTripEstimate::Status status = RoundTripEstimate::Status::no_signal;
  double round_trip_frames = 0; ///< Valid when status is ok or inverted.
  double error_frames = 0;
  [[nodiscard]] bool measured() const noexcept {
    return status == RoundTripEstimate::Status::ok || status == RoundTripEstimate::Status::inverted;
  }
};

/// The result of `ringcorder latency`. Field names match the JSON keys (README: latency JSON).
struct LatencyReport {
  std::string input_device, output_device, host_api;
  LatencyPath path = LatencyPath::direct; ///< Which path the signal took.
  int rate = 0;
  int period = 0;                          ///< Frames per callback seen (the host's, if not asked).
  bool period_asked = false;               ///< The period was asked for (-p), not the host's.
  std::uint64_t buffer_frames = 0;         ///< Ring path: the playback target fill; 0 for direct.
  std::optional<double> reported_input_ms; ///< The host's claim (not measured), if it gave one.
  std::optional<double> reported_output_ms; ///< The host's claim (not measured), if it gave one.
  std::optional<double> reported_frames;    ///< (input + output claims) in frames, if both.
  /// On JACK: where the claims above come from, read from the graph while the run's
  /// connections existed (PortAudio's own claim, read at open, holds its buffering alone).
  std::optional<JackClaim> jack_claim;
  /// ok / inverted: measured (a figure within tolerance_frames of the truth); uncertain: the
  /// signal came back but not clearly enough; no_signal: it did not come back.
  RoundTripEstimate::Status status = RoundTripEstimate::Status::no_signal;
  std::string message;              ///< A plain sentence about the status.
  std::size_t valid = 0;            ///< The windows the figure comes from (agreeing, confident).
  std::uint32_t window_periods = 0; ///< Their length in signal periods (1 = 16384 frames).
  double round_trip_frames = 0;     ///< Their weighted mean.
  double round_trip_ms = 0;
  double error_frames = 0; ///< The figure's standard error (at most tolerance / sigmas).
  double min_frames = 0, max_frames = 0, stddev_frames = 0; ///< Over the windows used.
  /// Slope of the delay over the run (clocks apart), when it stands 3 standard errors clear of
  /// zero (or the windows agree only with a drifting line), and its standard error.
  std::optional<double> drift_ppm, drift_error_ppm;
  /// Signal to noise of the return (tone power over the noise in their band), the median over the
  /// windows of the shortest length where at least three found the tones.
  double snr_db = 0;
  double gain_db = 0;          ///< Its level relative to what was sent, likewise.
  double ring_adds_frames = 0; ///< Ring path: buffer_frames (what the ring path adds).
  std::vector<LatencyMeasurement> measurements;
  std::uint64_t underrun_events = 0, underrun_frames = 0; ///< Ring path playback shortages.
  bool worker_realtime = false;                           ///< The worker got SCHED_FIFO priority.
  CaptureReport stream; ///< Callback timing, ring fill, overruns, xruns.
  /// With --repeat N: every open's result, the first being the one this report details; the
  /// status is the first open's unless a later one measured nothing (then that one's).
  std::vector<LatencyOpen> opens;
  /// The spread (max - min) of the opens' round trips, when at least two were measured.
  std::optional<double> open_spread_frames;

  /// Returns: whether the run gave a figure (ok or inverted).
  [[nodiscard]] bool measured() const noexcept {
    return status == RoundTripEstimate::Status::ok || status == RoundTripEstimate::Status::inverted;
  }
  /// Returns: the part of the round trip the host does not claim (measured minus claimed), if
  /// both are known.
  [[nodiscard]] std::optional<double> unclaimed_frames() const noexcept {
    if (!measured() || !reported_frames) return std::nullopt;
    return round_trip_frames - *reported_frames;
  }
  /// Returns: whether the host is JACK (where jackd's -I and -O take the unclaimed part).
  [[nodiscard]] bool on_jack() const noexcept;
};

/// Called with each new measurement on the controlling thread.
using LatencyProgress = std::function<void(const LatencyMeasurement&)>;

/// Returns: why `options` cannot run as asked, whatever the device ("" when they can): no
/// duration, a channel or repeat count below 1, a playback fill asked of the direct path or
/// below one period. run_latency() refuses such options; a command line checks them first for a
/// usage error. Any thread; real-time: no (builds a string).
std::string latency_options_problem(const LatencyOptions& options);

/// Main thread, inside a PortAudioSession. Effects: opens the duplex stream options.repeat
/// times, each for the duration (a stop `controls` asks for ends the open and the run), and
/// measures each open on its own (a later open that cannot start ends the run with the opens so far
/// and the error in stream.error). Throws: std::runtime_error before the first stream starts
/// (std::invalid_argument when latency_options_problem() names one).
LatencyReport run_latency(const LatencyOptions& options, LiveControls& controls,
                          const LatencyProgress& on_measurement);

/// Effects: fills status, message and the statistics of `report` from its measurements: the
/// shortest window length at which at least LatencyRule::min_agreeing windows with a delay
/// agree (each within 3 of its standard errors, or 0.005 frame, of their median) and their
/// weighted mean's standard error is at most tolerance / sigmas gives the figure; if no length
/// does, the run is uncertain (the tones came back) or no_signal.
void summarize(LatencyReport& report);

/// Returns: the report as JSON / as human-readable lines.
std::string to_json(const LatencyReport& report);
std::string to_text(const LatencyReport& report);

} // namespace rc
