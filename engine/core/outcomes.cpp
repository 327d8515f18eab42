// engine/core/outcomes.cpp - see outcomes.hpp.
#include "engine/core/outcomes.hpp"

#include <csignal>

namespace rc {

const char* to_string(StopReason reason) noexcept {
  switch (reason) {
  case StopReason::duration:
    return "duration";
  case StopReason::sigint:
    return "SIGINT";
  case StopReason::sigterm:
    return "SIGTERM";
  case StopReason::sighup:
    return "SIGHUP";
  case StopReason::other_signal:
    return "signal";
  case StopReason::error:
    return "error";
  case StopReason::reader_closed:
    return "reader closed";
  }
  return "?";
}

const char* to_string(XrunKind kind) noexcept {
  switch (kind) {
  case XrunKind::overrun:
    return "overrun";
  case XrunKind::host_gap:
    return "host gap";
  case XrunKind::underrun:
    return "underrun";
  case XrunKind::input_overflow:
    return "input overflow";
  case XrunKind::output_underflow:
    return "output underflow";
  }
  return "?";
}

const char* to_string(TakeTrigger trigger) noexcept {
  switch (trigger) {
  case TakeTrigger::level:
    return "level";
  case TakeTrigger::signal:
    return "SIGUSR1";
  case TakeTrigger::enter:
    return "Enter";
  }
  return "?";
}

const char* to_string(TakeEnd end) noexcept {
  switch (end) {
  case TakeEnd::quiet:
    return "quiet";
  case TakeEnd::signal:
    return "SIGUSR1";
  case TakeEnd::enter:
    return "Enter";
  case TakeEnd::stop:
    return "stop";
  }
  return "?";
}

const char* to_string(TapEnd end) noexcept {
  switch (end) {
  case TapEnd::finished:
    return "finished";
  case TapEnd::capture_gone:
    return "capture-gone";
  case TapEnd::signal:
    return "signal";
  case TapEnd::duration:
    return "duration";
  case TapEnd::error:
    return "error";
  }
  return "?";
}

StopReason stop_reason_for_signal(int signal_number) noexcept {
  switch (signal_number) {
  case SIGINT:
    return StopReason::sigint;
  case SIGTERM:
    return StopReason::sigterm;
  case SIGHUP:
    return StopReason::sighup;
  default:
    return StopReason::other_signal;
  }
}

} // namespace rc
