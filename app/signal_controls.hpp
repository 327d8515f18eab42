// app/signal_controls.hpp - a live run's controls from the command line's world: stop signals,
// SIGUSR2 (next file), SIGUSR1 and Enter (start or end a take).
#pragma once

#include "app/enter_presses.hpp"
#include "engine/core/live_controls.hpp"

#include <optional>

namespace rc {

/// Which requests a command answers (the others keep their signals' default action).
struct ControlSet {
  bool rotate = false;  ///< SIGUSR2 starts the next file (capture).
  bool trigger = false; ///< SIGUSR1 and Enter start or end a take (a triggered capture).
};

/// LiveControls answered from signals and the terminal. Main thread only.
class SignalControls final : public LiveControls {
public:
  /// Main thread, once per process, before anything slow (PortAudio, the device): a request sent
  /// while they start must neither kill the run (the signals' default action) nor be lost.
  /// Effects: installs the handlers of `set`, then SIGINT/SIGTERM/SIGHUP's last, so a process
  /// that catches a stop signal catches the others too.
  explicit SignalControls(ControlSet set) noexcept;

  /// Returns: the first stop signal's reason (SIGINT, SIGTERM or SIGHUP), once one arrived.
  [[nodiscard]] std::optional<StopReason> stop_requested() noexcept override;
  /// Returns: the SIGUSR2s received so far (0 unless `rotate` was asked for).
  [[nodiscard]] unsigned rotations_requested() noexcept override;
  /// Returns: the SIGUSR1s received so far (0 unless `trigger` was asked for).
  [[nodiscard]] unsigned signal_triggers() noexcept override;
  /// Returns: the Enter presses since the last call. Reads stdin only when it is a terminal and
  /// triggers are wanted (never a script's input).
  [[nodiscard]] unsigned enter_presses() noexcept override;

private:
  ControlSet set_;
  std::optional<EnterPresses> enter_;
};

} // namespace rc
