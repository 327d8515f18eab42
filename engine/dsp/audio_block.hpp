// engine/dsp/audio_block.hpp - a view of interleaved float audio that effects work on.
#pragma once

#include <cstddef>

namespace rc {

/// Interleaved float samples: frames x channels, nominal range [-1, 1]. Does not own them.
struct AudioBlock {
  float* data = nullptr;  ///< frames * channels samples.
  std::size_t frames = 0; ///< Frames in the block.
  int channels = 0;       ///< Samples per frame.

  /// Returns: the number of samples (frames * channels).
  [[nodiscard]] std::size_t samples() const noexcept {
    return frames * static_cast<std::size_t>(channels);
  }
};

/// The shape of the audio an effect receives or produces.
struct AudioFormat {
  int channels = 0;           ///< Samples per frame.
  double rate = 0;            ///< Frames per second.
  std::size_t max_frames = 0; ///< The largest block that will be passed.
};

} // namespace rc
