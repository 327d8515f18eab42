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
  ProgressBar(std::FILE* out, bool quiet);
  /// Effects: redraws (terminal) or prints a line every few seconds (otherwise).
  void update(const std::vector<std::unique_ptr<ProcessProgress>>& jobs);
  /// Effects: ends the bar's line.
  void finish();

private:
  std::FILE* out_;
  bool quiet_, terminal_, drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  double next_plain_ = 2.0; // short jobs print only their summary
};

} // namespace rc::app
