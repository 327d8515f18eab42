// app/live_line.hpp - the status line shown while recording.
#pragma once

#include "engine/live/capture_session.hpp"

#include <array>
#include <cstdio>

namespace rc::app {

/// Renders CaptureStatus snapshots to stderr: on a terminal one line redrawn in place, with level
/// meters, peak hold and a clip mark; otherwise a plain line every few seconds.
class LiveLine {
public:
  /// `out`: where to draw; a terminal gets the live form.
  explicit LiveLine(std::FILE* out);
  /// Effects: shows the status (or not, if a plain line is not due yet).
  void update(const CaptureStatus& status);
  /// Effects: ends the live line so the report starts on a fresh line (nothing when none was
  /// drawn).
  void finish();
  /// Returns: a status callback that calls update(), or an empty one when `quiet` (a live run
  /// then shows nothing). The line must outlive the run.
  [[nodiscard]] CaptureStatusCallback updater(bool quiet);

private:
  std::FILE* out_;
  bool terminal_;
  double next_plain_at_ = 0;
  std::array<float, 2> held_peak_{};
  std::array<double, 2> held_until_{};
  std::uint64_t clipped_seen_ = 0;
  double clip_until_ = 0;
  bool drawn_ = false;
};

} // namespace rc::app
