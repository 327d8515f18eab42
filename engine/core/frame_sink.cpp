// engine/core/frame_sink.cpp - the default write_silence: zero blocks through write().
#include "engine/core/frame_sink.hpp"

#include <array>

namespace rc {

bool FrameSink::write_silence(std::uint64_t count, int channels) {
  static constexpr std::array<float, 16384> silence{};
  const std::size_t block = silence.size() / static_cast<std::size_t>(channels);
  while (count > 0) {
    const std::size_t n = count < block ? static_cast<std::size_t>(count) : block;
    if (!write(ConstFrames{silence.data(), n, channels})) return false;
    count -= n;
  }
  return true;
}

} // namespace rc
