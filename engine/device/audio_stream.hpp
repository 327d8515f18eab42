// engine/device/audio_stream.hpp - an open PortAudio stream (input, output or both) that is
// stopped and closed on every path out.
#pragma once

#include "engine/core/stream_state.hpp"

#include <portaudio.h>

#include <chrono>
#include <optional>

namespace rc {

/// Owns one PortAudio callback stream. Main thread only.
class AudioStream final : public StreamState {
public:
  /// Effects: opens the stream; `input` or `output` may be null (not both). `period` 0 lets
  /// the host choose. `callback` runs on the audio thread with `user`.
  /// Throws: std::runtime_error naming PortAudio's reason.
  AudioStream(const PaStreamParameters* input, const PaStreamParameters* output, double rate,
              int period, PaStreamCallback* callback, void* user);
  ~AudioStream() override;
  AudioStream(const AudioStream&) = delete;
  AudioStream& operator=(const AudioStream&) = delete;

  /// Effects: starts the callbacks. Throws: std::runtime_error.
  void start();
  /// Effects: asks the host to stop and waits up to `timeout` for it. Returns: true when the
  /// stream stopped (no callback runs afterwards). False when the host did not answer in time:
  /// PortAudio's JACK host waits ten minutes for a server that was killed, then asserts while
  /// closing. The stream is then abandoned, never closed, and PortAudio never terminated (see
  /// mark_portaudio_wedged), so the run can finalise its file and exit. Either way, once stop()
  /// returns the user's callback is never called again and `user` may be destroyed: an
  /// abandoned stream's late callbacks only write silence. Calling again is a no-op.
  bool stop(std::chrono::milliseconds timeout = std::chrono::milliseconds(1000)) noexcept;
  /// Returns: true while callbacks are running (false once the callback returned paComplete
  /// or the host stopped the stream).
  [[nodiscard]] bool active() const noexcept override;
  /// Returns: the rate the stream was opened with.
  [[nodiscard]] double rate() const noexcept { return rate_; }
  /// Returns: the period asked for (0: the host's choice).
  [[nodiscard]] int period() const noexcept { return period_; }
  /// Returns: the host's claimed input latency in seconds (PortAudio's stream info; not
  /// measured), or nothing when it is no latency at all: 0 (without input, or a host that knew
  /// none at open, as PortAudio's JACK host before its ports are connected) or 10 s and more (a
  /// JACK client with no latency range set reads as 2^32 - 1 frames, 89,478 s at 48 kHz).
  [[nodiscard]] std::optional<double> input_latency() const noexcept;
  /// Returns: the host's claimed output latency in seconds, as input_latency().
  [[nodiscard]] std::optional<double> output_latency() const noexcept;

private:
  struct CallbackGate;
  /// Stands between PortAudio and the user's callback; leaked on purpose when abandoned.
  CallbackGate* gate_ = nullptr;
  PaStream* stream_ = nullptr;
  double rate_ = 0;
  int period_ = 0;
  bool stopped_ = false;
  bool abandoned_ = false; ///< stop() timed out: never touch the stream again.
};

} // namespace rc
