// engine/device/jack_frame_clock.hpp - the JACK server's frame counter, readable from the audio
// callback: the device clock that tells a skipped cycle from a late one.
#pragma once

#include <cstdint>
#include <string>

namespace rc {

/// A port-less JACK client, opened beside PortAudio's own, whose only use is reading the
/// server's frame counter at the start of the current cycle (jack_last_frame_time()).
///
/// Why not PortAudio's PaStreamCallbackTimeInfo: its JACK host fills it from jack_frame_time(),
/// the frame counter *interpolated with the system clock* to the moment of the call, so a
/// callback that runs late in its cycle reads like one whose cycle came late, and one delayed by
/// more than a period reads exactly like a skipped cycle. The cycle's own counter has no jitter:
/// a skipped cycle shows as exactly one period more.
///
/// Construction and destruction: main thread, outside the stream's life. cycle_frame(): any
/// thread while the object lives, real-time safe.
class JackFrameClock {
public:
  /// Effects: connects to the JACK server libjack would use (JACK_DEFAULT_SERVER), never
  /// starting one. `client_name`: a name of our own (JACK makes it unique).
  /// Throws: std::runtime_error if no server answers.
  explicit JackFrameClock(const std::string& client_name);
  ~JackFrameClock();
  JackFrameClock(const JackFrameClock&) = delete;
  JackFrameClock& operator=(const JackFrameClock&) = delete;

  /// Audio thread (from a JACK process cycle). Returns: the server's frame counter at the start
  /// of the server's current cycle (32 bits, wraps after about a day at 48 kHz). On a synchronous
  /// server that is the cycle being processed; on an asynchronous one a client late for its cycle
  /// may already read the next cycle's (HostGapDetector allows for that).
  /// Real-time safe: reads the server's shared memory; no allocation, lock or system call.
  [[nodiscard]] std::uint32_t cycle_frame() const noexcept;
  /// Returns: the server's period (frames per cycle) when the clock was opened.
  [[nodiscard]] std::uint32_t period() const noexcept { return period_; }

private:
  void* client_ = nullptr; ///< jack_client_t*, kept opaque so callers need no JACK header.
  std::uint32_t period_ = 0;
};

} // namespace rc
