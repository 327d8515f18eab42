// engine/capture/capture_report.hpp - what a capture did, as text and as JSON.
#pragma once

#include "engine/capture/capture_consumer.hpp"
#include "engine/capture/stream_timing.hpp"
#include "engine/capture/take.hpp"
#include "engine/core/outcomes.hpp"
#include "engine/files/split_file.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rc {

/// p50/p99/max of some measurement, in the unit its field name gives.
struct Percentiles {
  double p50 = 0; ///< Median.
  double p99 = 0; ///< 99th percentile.
  double max = 0; ///< Largest (exact).
};

/// Returns: the percentiles of `h` divided by `scale` (e.g. 1000 for ns -> us).
Percentiles percentiles_of(const LogHistogram& h, double scale);

/// The shared-memory tap a run published to (--tap).
struct TapSummary {
  std::string name;                   ///< The tap's name.
  std::uint64_t blocks_published = 0; ///< Slots published: what a tap's blocks + missed add to.
  std::uint32_t slot_count = 0;       ///< Slots in the ring.
  std::uint32_t slot_frames = 0;      ///< Frames per slot.
};

/// The result of one capture run. Field names match the JSON keys (README: stats JSON schema).
struct CaptureReport {
  std::string output_path;      ///< The (first) file.
  std::vector<SplitFile> files; ///< Every file of a split recording; empty without --split.
  bool triggered = false;       ///< Takes on triggers (--trigger, --pre-roll, --trigger-level).
  double pre_roll_seconds = 0;  ///< Triggered: the pre-roll asked for.
  std::optional<double> trigger_level_dbfs; ///< Triggered by level: the threshold.
  double hold_seconds = 0;                  ///< Triggered by level: the quiet that ends a take.
  std::vector<Take> takes;                  ///< Triggered: every take, in order.
  std::string format;
  std::string device;
  std::string host_api;
  std::vector<int> channel_map; ///< The device channel (from 1) of each recorded channel.
  /// --port: the JACK port that fed each recorded channel, in file order (empty otherwise).
  std::vector<std::string> ports;
  int rate = 0;
  int period = 0; ///< Frames per callback requested (0: host's choice).
  /// What the host claims (PortAudio's stream info, not measured); nothing when it gave none.
  std::optional<double> reported_input_latency_ms;
  std::uint64_t ring_capacity = 0;        ///< Frames.
  double seconds = 0;                     ///< The timeline's length (frames_captured / rate).
  std::uint64_t frames_captured = 0;      ///< The device's timeline: delivered + host gaps.
  std::uint64_t frames_written = 0;       ///< Handed to the file: audio + silence for every gap.
  std::uint64_t overrun_events = 0;       ///< Runs of frames we dropped (ring full).
  std::uint64_t overrun_frames = 0;       ///< Frames we dropped, written as silence.
  std::vector<OverrunEvent> overruns;     ///< Each overrun, where and how long.
  std::string device_clock;               ///< What host gaps are measured with ("" if nothing).
  std::uint64_t host_gap_events = 0;      ///< Skips of our callback found on the device's clock.
  std::uint64_t host_gap_frames = 0;      ///< Frames the host never delivered, written as silence.
  std::vector<OverrunEvent> host_gaps;    ///< Each host gap, where and how long.
  std::uint64_t clock_steps = 0;          ///< Device clock jumps too large to be gaps (not filled).
  std::uint64_t uncertain_gap_events = 0; ///< Leads too short to call gaps that stayed.
  std::uint64_t uncertain_gap_frames = 0; ///< Their frames: maybe lost, not filled.
  std::uint64_t input_overflow_flags = 0; ///< Callbacks PortAudio flagged paInputOverflow.
  std::uint64_t input_underflow_flags = 0; ///< Callbacks PortAudio flagged paInputUnderflow.
  std::uint64_t host_inserted_frames = 0;  ///< Zeros PortAudio made up, left out of the file.
  std::uint64_t callbacks = 0;
  Percentiles callback_us;
  std::uint64_t ring_fill_max = 0;
  Percentiles disk_latency_ms;
  Percentiles worker_wake_delay_us; ///< How late the worker's timed wake-ups were.
  std::vector<double> peak_dbfs;    ///< Per channel; -inf for digital silence.
  std::vector<double> rms_dbfs;     ///< Per channel.
  std::uint64_t clipped_samples = 0;
  std::string effects; ///< The chain as run, including automatic dither.
  std::vector<std::pair<std::string, std::uint64_t>> effect_clips; ///< Effects that clipped.
  StopReason stop_reason = StopReason::duration;                   ///< Why the run stopped.
  std::string error;      ///< Empty unless the capture failed.
  StreamTiming timing{1}; ///< Jitter, ring fill over time, problems with their times.

  /// With --tap: the tap the run published to.
  std::optional<TapSummary> tap;
};

/// The sections of a live run's report. Each renders its own JSON keys and text lines; a
/// command's report is the list of the sections it has (capture: all; playthrough: recording only
/// when it records; latency: the stream and its end).
enum class ReportSection : std::uint8_t {
  recording, ///< output, files, triggered (takes), format, frames_written, disk_latency_ms.
  stream,  ///< The device and its callbacks: rate, period, gaps, flags, callback and ring figures.
  levels,  ///< peak_dbfs, rms_dbfs, clipped_samples.
  effects, ///< effects, effect_clips.
  tap,     ///< tap.
  stop,    ///< stop_reason, error.
};

/// Every section, in the order a capture report lists them.
inline constexpr ReportSection all_sections[] = {ReportSection::recording, ReportSection::stream,
                                                 ReportSection::levels,    ReportSection::effects,
                                                 ReportSection::tap,       ReportSection::stop};

/// Returns: "peak L -1.0 dBFS, R -2.0 dBFS; rms L ..., R ..." for two channels, the same without
/// L and R for one, and numbered channels ("peak 1: ..., 2: ..., 3: ...") for more: the levels
/// line of the text reports.
std::string levels_text(const std::vector<double>& peak_dbfs, const std::vector<double>& rms_dbfs);

/// Returns: `section` of `report` as human-readable lines (empty when it has nothing to say).
std::string section_text(const CaptureReport& report, ReportSection section);

/// Returns: the report as a JSON document (2-space indented): every section, and `timing`.
std::string to_json(const CaptureReport& report);
/// Returns: the report as a few human-readable lines: every section.
std::string to_text(const CaptureReport& report);

} // namespace rc
