// app/progress_bar.hpp - progress of offline conversions: a bar on a terminal, lines otherwise.
#pragma once

#include "engine/offline/process_job.hpp"

#include <chrono>
#include <cstdio>
#include <memory>
#include <vector>

namespace rc::app {

/// Shows the combined progress of conversions: percent, speed as x real time, ETA.
class ProgressBar {
public:
  /// Effects: a bar when `out` is a terminal, else plain lines: every 5 s once a run has taken
  /// 2 s, or with `forced` (sox's -S) every second from the start and one at the end. `quiet`:
  /// nothing at all (it wins over `forced`).
  ProgressBar(std::FILE* out, bool quiet, bool forced = false);
  /// Main thread. Effects: redraws (terminal) or prints a line when one is due (otherwise).
  void update(const std::vector<std::unique_ptr<ProcessProgress>>& jobs);
  /// Main thread. Effects: ends the bar's line; forced plain lines end with a last one.
  void finish();

private:
  std::FILE* out_;
  bool quiet_, forced_, terminal_, drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  double next_plain_ = 2.0; // short jobs print only their summary (unless forced)
  double last_speed_ = 0;   // frames per second at the last update, for the forced last line
};

} // namespace rc::app
