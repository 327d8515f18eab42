// app/signal_controls.cpp - see signal_controls.hpp.
#include "app/signal_controls.hpp"

#include "app/stop_signals.hpp"

namespace rc {

SignalControls::SignalControls(ControlSet set) noexcept : set_(set) {
  if (set_.trigger) {
    install_trigger_signal();
    enter_.emplace(); // stdin
  }
  if (set_.rotate) install_rotate_signal();
  install_stop_signals();
}

std::optional<StopReason> SignalControls::stop_requested() noexcept {
  if (const int sig = stop_signal_received()) return stop_reason_for_signal(sig);
  return std::nullopt;
}

unsigned SignalControls::rotations_requested() noexcept {
  return set_.rotate ? rotate_requests() : 0;
}

unsigned SignalControls::signal_triggers() noexcept {
  return set_.trigger ? trigger_requests() : 0;
}

unsigned SignalControls::enter_presses() noexcept { return enter_ ? enter_->poll() : 0; }

} // namespace rc
