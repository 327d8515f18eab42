// engine/capture/take.hpp - one take of a triggered recording, as the recorder made it and the
// report lists it.
#pragma once

#include "engine/core/outcomes.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace rc {

/// One take: a file holding the timeline from `first_frame` for `frames` frames.
struct Take {
  std::string path;                       ///< As created (split channels: channel 1's file).
  std::vector<std::string> channel_paths; ///< Split channels: every channel's file, in order.
  std::uint64_t first_frame = 0;          ///< Timeline position of the file's first frame.
  std::uint64_t trigger_frame = 0; ///< Timeline position of the trigger (first_frame + pre-roll).
  std::uint64_t frames = 0;        ///< Frames in the file.
  TakeTrigger trigger = TakeTrigger::level; ///< What started it.
  TakeEnd end = TakeEnd::stop;              ///< What ended it.
  double trigger_time = 0;                  ///< Wall clock of the trigger frame, Unix seconds.
};

} // namespace rc
