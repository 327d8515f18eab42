// engine/live/tap_session.hpp - `ringcorder tap` from start to finish: attach to a capture's tap,
// meter it or copy it to a file (silence for whatever was missed), report.
#pragma once

#include "engine/core/live_controls.hpp"
#include "engine/core/outcomes.hpp"
#include "engine/files/output_format.hpp"
#include "engine/tap/tap_segment.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace rc {

/// Everything `ringcorder tap` can be asked for.
struct TapOptions {
  std::string name = default_tap_name;     ///< The tap to attach to.
  std::string output_path;                 ///< -o: copy to this file; empty: meter only.
  OutputFormat format;                     ///< The copy's format (output_format_for()).
  bool overwrite = false;                  ///< --force for the copy.
  double duration = 0;                     ///< Seconds of the capture's timeline; 0: until it ends.
  std::chrono::milliseconds test_delay{0}; ///< Test only: sleep this long after every block.
};

/// A snapshot for the live display, about ten times a second.
struct TapStatus {
  double seconds = 0;              ///< Timeline covered since the first block.
  std::vector<float> peak;         ///< Linear peak per channel since the last status.
  std::vector<float> rms;          ///< Linear RMS per channel since the last status.
  std::uint64_t blocks = 0;        ///< Blocks read so far.
  std::uint64_t missed_blocks = 0; ///< Blocks missed so far.
  std::uint64_t missed_frames = 0; ///< Frames missed so far.
};

/// Called about ten times a second on the calling thread while tapping.
using TapStatusCallback = std::function<void(const TapStatus&)>;

/// What one tap run did. Field names match the JSON keys (README: "tap").
struct TapReport {
  std::string name;                 ///< The tap.
  std::string output;               ///< The copy; empty when metering only.
  std::string format;               ///< The copy's format.
  int rate = 0;                     ///< The capture's rate, Hz.
  int channels = 0;                 ///< The capture's channels (the copy has as many).
  std::int64_t capture_pid = 0;     ///< The capture's process.
  std::uint32_t slot_count = 0;     ///< Slots in the capture's ring.
  std::uint32_t slot_frames = 0;    ///< Frames per slot.
  std::uint64_t start_sequence = 0; ///< First slot this tap could read (the oldest then held).
  std::uint64_t first_frame = 0;    ///< Timeline position of the first frame read (copy's 0).
  std::uint64_t blocks = 0;         ///< Slots read.
  std::uint64_t missed_blocks = 0;  ///< Slots overwritten before this tap could read them.
  std::uint64_t frames = 0;         ///< Frames read (and copied).
  std::uint64_t missed_frames = 0;  ///< Timeline frames missed (written as silence in the copy).
  std::uint64_t frames_written = 0; ///< Frames in the copy: frames + missed_frames.
  std::uint64_t published = 0;      ///< Slots the capture had published when the tap ended.
  double seconds = 0;               ///< Timeline covered, s.
  std::vector<double> peak_dbfs;    ///< Per channel, over everything read; -inf for silence.
  std::vector<double> rms_dbfs;     ///< Per channel, over everything read.
  TapEnd end = TapEnd::finished;    ///< Why the copy ended.
  std::string error; ///< Why the capture is gone, or the copy's write error; else empty.
};

/// Main thread. Effects: attaches to the tap, reads until the capture finishes or is gone, a
/// stop is asked for (`controls`), the duration is covered or the copy fails; finalizes
/// the copy. Throws: std::runtime_error before reading (no such tap, file exists or cannot be
/// created); std::invalid_argument for a bad name.
TapReport run_tap(const TapOptions& options, LiveControls& controls,
                  const TapStatusCallback& on_status);

/// Returns: the report as a JSON document (2-space indented).
std::string to_json(const TapReport& report);
/// Returns: the report as a few human-readable lines.
std::string to_text(const TapReport& report);

} // namespace rc
