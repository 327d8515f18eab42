// engine/device/audio_stream.hpp - an open PortAudio stream (input, output or both) that is
// stopped and closed on every path out.
#pragma once

#include <portaudio.h>

namespace rc {

/// Owns one PortAudio callback stream. Main thread only.
class AudioStream {
public:
  /// Effects: opens the stream; `input` or `output` may be null (not both). `period` 0 lets
  /// the host choose. `callback` runs on the audio thread with `user`.
  /// Throws: std::runtime_error naming PortAudio's reason.
  AudioStream(const PaStreamParameters* input, const PaStreamParameters* output, double rate,
              int period, PaStreamCallback* callback, void* user);
  ~AudioStream();
  AudioStream(const AudioStream&) = delete;
  AudioStream& operator=(const AudioStream&) = delete;

  /// Effects: starts the callbacks. Throws: std::runtime_error.
  void start();
  /// Effects: waits for a running callback to return; afterwards no callback runs.
  void stop() noexcept;
  /// Returns: true while callbacks are running (false once the callback returned paComplete
  /// or the host stopped the stream).
  [[nodiscard]] bool active() const noexcept;
  /// Returns: PortAudio's claimed input latency in seconds (0 without input).
  [[nodiscard]] double input_latency() const noexcept;
  /// Returns: PortAudio's claimed output latency in seconds (0 without output).
  [[nodiscard]] double output_latency() const noexcept;

private:
  PaStream* stream_ = nullptr;
  bool stopped_ = false;
};

} // namespace rc
