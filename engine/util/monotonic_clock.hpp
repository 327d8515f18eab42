// engine/util/monotonic_clock.hpp - nanosecond timestamps safe to take on the audio thread.
#pragma once

#include <cstdint>
#include <ctime>

namespace rc {

/// Returns: CLOCK_MONOTONIC in nanoseconds. Real-time safe: clock_gettime on this clock is
/// served by the vDSO on Linux, without a system call.
inline std::int64_t monotonic_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace rc
