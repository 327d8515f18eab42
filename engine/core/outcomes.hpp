// engine/core/outcomes.hpp - how runs, takes, taps and timeline problems end or begin, as types.
// Each has one to_string, the word the reports (JSON, text, HTML) have always used.
#pragma once

#include <cstdint>

namespace rc {

/// Why a live run (capture, playthrough, latency) stopped.
enum class StopReason : std::uint8_t {
  duration,      ///< "duration": the timeline reached --duration.
  sigint,        ///< "SIGINT" (Ctrl-C).
  sigterm,       ///< "SIGTERM".
  sighup,        ///< "SIGHUP" (the terminal went away).
  other_signal,  ///< "signal": a stop requested with another signal number.
  error,         ///< "error": the device, a file or the worker failed (the report says which).
  reader_closed, ///< "reader closed": the reader of a recording on standard output went away.
};

/// A problem on a run's timeline, as StreamTiming lists it.
enum class XrunKind : std::uint8_t {
  overrun,          ///< "overrun": we dropped frames (a ring was full).
  host_gap,         ///< "host gap": the host skipped us; frames never delivered.
  underrun,         ///< "underrun": the playback ring was empty.
  input_overflow,   ///< "input overflow": PortAudio's status flag.
  output_underflow, ///< "output underflow": PortAudio's status flag.
};

/// What started a take of a triggered capture.
enum class TakeTrigger : std::uint8_t {
  level,  ///< "level": the input reached --trigger-level.
  signal, ///< "SIGUSR1".
  enter,  ///< "Enter" (on the terminal).
};

/// What ended a take of a triggered capture.
enum class TakeEnd : std::uint8_t {
  quiet,  ///< "quiet": --hold of quiet after a level trigger.
  signal, ///< "SIGUSR1".
  enter,  ///< "Enter".
  stop,   ///< "stop": the capture ended during the take.
};

/// Why `ringcorder tap` stopped copying.
enum class TapEnd : std::uint8_t {
  finished,     ///< "finished": the capture finished its tap.
  capture_gone, ///< "capture-gone": the capture died without finishing it.
  signal,       ///< "signal": a stop signal.
  duration,     ///< "duration": --duration copied.
  error,        ///< "error": the tap could not be read or the file written.
};

/// Returns: the report's word for each outcome (a static string).
const char* to_string(StopReason reason) noexcept;
/// Returns: the report's word for the kind ("host gap", ...).
const char* to_string(XrunKind kind) noexcept;
/// Returns: the report's word for the trigger ("level", "SIGUSR1", "Enter").
const char* to_string(TakeTrigger trigger) noexcept;
/// Returns: the report's word for the end ("quiet", "SIGUSR1", "Enter", "stop").
const char* to_string(TakeEnd end) noexcept;
/// Returns: the report's word for the end ("finished", "capture-gone", ...).
const char* to_string(TapEnd end) noexcept;

/// Returns: the stop reason for a stop signal's number (SIGINT, SIGTERM, SIGHUP; any other:
/// other_signal). Async-signal-safe and real-time safe.
StopReason stop_reason_for_signal(int signal_number) noexcept;

} // namespace rc
