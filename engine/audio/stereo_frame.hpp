// engine/audio/stereo_frame.hpp - the unit the rings carry: one stereo sample pair.
#pragma once

#include <type_traits>

namespace rc {

/// One frame of stereo audio, 32-bit float, nominal range [-1, 1].
struct StereoFrame {
  float left = 0.0f;  ///< Left channel sample.
  float right = 0.0f; ///< Right channel sample.
};

static_assert(sizeof(StereoFrame) == 8 && std::is_trivially_copyable_v<StereoFrame>);

} // namespace rc
