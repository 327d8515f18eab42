// app/live_line.hpp - the status line shown while recording.
#pragma once

#include "engine/live/capture_session.hpp"

#include <cstdio>
#include <string>
#include <vector>

namespace rc::app {

/// Returns: one cell per channel showing its linear `peaks` from -60 to 0 dBFS (" " for
/// silence, then the eighth blocks U+2581 to U+2588): the meters of a run of other than two
/// channels, as wide as the channel count.
std::string channel_cells(const std::vector<float>& peaks);
/// Returns: linear level `linear` in dBFS with one decimal ("-inf" from -100 dBFS down, and for
/// silence), right-aligned in at least `width` characters: the level readouts of the live line
/// (6) and of the tap's (5); 1 for no padding.
std::string db_text(float linear, int width);
/// Returns: "-3.1 dBFS (ch 7)": the loudest of `peaks` and its channel (from 1), or "-inf dBFS"
/// when all are silent.
std::string loudest_text(const std::vector<float>& peaks);

/// Returns: the terminal form of the live line for `status` (without the carriage return and the
/// erase that redraw it), at most `width` - 1 display cells: bars for two channels as wide as
/// fit (20 cells each at most, none below 4), a cell per channel otherwise (cut with ">" when
/// they do not fit), then the fields as far as they fit. `held`: each channel's held peak;
/// `clip`: show the CLIP mark; `now`: the elapsed time shown.
std::string live_line_text(const CaptureStatus& status, const std::vector<float>& held, bool clip,
                           double now, int width);
/// Returns: `text` (UTF-8) cut to at most `cells` display cells (one per code point), never
/// inside a code point.
std::string fit_cells(const std::string& text, int cells);
/// Returns: the width of the terminal `out` is, now (80 when it is none).
int terminal_width(std::FILE* out);

/// Renders CaptureStatus snapshots to stderr: on a terminal one line redrawn in place, with level
/// meters (two channels: a bar each with peak hold; any other count: a cell per channel and the
/// loudest) and a clip mark; otherwise a plain line every few seconds.
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
  std::vector<float> held_peak_;   ///< Per channel.
  std::vector<double> held_until_; ///< Per channel.
  std::uint64_t clipped_seen_ = 0;
  double clip_until_ = 0;
  bool drawn_ = false;
};

} // namespace rc::app
