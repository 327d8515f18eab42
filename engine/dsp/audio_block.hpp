// engine/dsp/audio_block.hpp - a view of interleaved float audio that effects work on.
#pragma once

#include "engine/audio/frames.hpp"

#include <cstddef>

namespace rc {

/// What effects work on: interleaved float frames (engine/audio/frames.hpp), the same view the
/// live paths carry.
using AudioBlock = Frames;

/// The shape of the audio an effect receives or produces.
struct AudioFormat {
  int channels = 0;           ///< Samples per frame.
  double rate = 0;            ///< Frames per second.
  std::size_t max_frames = 0; ///< The largest block that will be passed.
};

} // namespace rc
