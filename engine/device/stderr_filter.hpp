// engine/device/stderr_filter.hpp - keeps PortAudio's internal assertion lines off stderr.
#pragma once

#include <cstdio>
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
  /// Any thread, one at a time (the owning stream's lock). Effects: consumes `bytes`; appends to
  /// `forward` what must be written now. Allocates: never called on an audio thread of ours.
  void write(std::string_view bytes, std::string& forward);

  /// Any thread, one at a time. Returns: how many lines were dropped so far.
  [[nodiscard]] unsigned long dropped() const noexcept { return dropped_; }

  /// Any thread. Returns: whether `line` (without its newline) is one of PortAudio's assertion
  /// lines. Real-time safe.
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

/// Any thread. Returns: the C stderr stream as it was before filter_portaudio_stderr (stderr
/// itself before it). For writers that need its terminal: a stream behind the filter has no file
/// descriptor, so isatty() on it is false and a live line would never be redrawn in place.
[[nodiscard]] std::FILE* unfiltered_stderr() noexcept;

} // namespace rc
