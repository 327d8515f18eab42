// engine/device/stderr_filter.hpp - keeps PortAudio's internal assertion lines off stderr.
#pragma once

#include <string>
#include <string_view>

namespace rc {

/// Splits what is written to the C `stderr` stream into lines and drops the ones PortAudio's
/// hosts print when a call inside them fails ("Expression '...' failed in
/// 'src/hostapi/alsa/pa_linux_alsa.c', line: 3665"): three of them come whenever a PipeWire or
/// ALSA device vanishes mid-stream, and ringcorder already says what happened in its own line.
/// PortAudio prints them with no way to turn them off (its print hook is not exported).
/// Every other byte passes through unchanged and at once: a line is held back only while it
/// still starts like one of PortAudio's, so a live status line redrawn with '\r' is not delayed.
/// Not thread-safe by itself: the stream that owns it serialises the calls (stdio's own lock).
class StderrFilter {
public:
  /// Effects: consumes `bytes`; appends to `forward` what must be written now.
  void write(std::string_view bytes, std::string& forward);

  /// Returns: how many lines were dropped so far.
  [[nodiscard]] unsigned long dropped() const noexcept { return dropped_; }

  /// Returns: whether `line` (without its newline) is one of PortAudio's assertion lines.
  [[nodiscard]] static bool is_portaudio_assertion(std::string_view line) noexcept;

private:
  std::string held_;     // the start of the current line, while it may be PortAudio's
  bool passing_ = false; // the current line is not PortAudio's: forwarded as it comes
  unsigned long dropped_ = 0;
};

/// Main thread, before any other thread writes to stderr; idempotent. Effects: points the C
/// `stderr` stream at a StderrFilter in front of the original one (glibc lets a program assign
/// `stderr`; libraries read it at each call). std::cerr, and objects that took the FILE* before,
/// keep writing to the original stream directly. Real-time: never called on an audio thread.
void filter_portaudio_stderr();

} // namespace rc
