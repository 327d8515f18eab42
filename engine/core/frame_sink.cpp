// engine/core/frame_sink.cpp - the default write_silence: zero blocks through write().
#include "engine/core/frame_sink.hpp"

#include <array>

namespace rc {

bool FrameSink::write_silence(std::uint64_t count) {
  static constexpr std::array<StereoFrame, 1024> silence{};
  while (count > 0) {
    const std::size_t n = count < silence.size() ? static_cast<std::size_t>(count) : silence.size();
    if (!write(std::span<const StereoFrame>(silence.data(), n))) return false;
    count -= n;
  }
  return true;
}

} // namespace rc
