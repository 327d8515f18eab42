// engine/core/live_controls.hpp - what the person running a live command asks for while it
// runs (stop, start the next file, trigger a take), as the engine sees it: counts it polls.
#pragma once

#include "engine/core/outcomes.hpp"

#include <optional>

namespace rc {

/// The requests a running capture, playthrough, latency or tap run answers. The engine only
/// polls them, about ten times a second on its controlling (main) thread; where they come from
/// is the caller's: the command line answers from signals and the terminal
/// (app/signal_controls.hpp), tests from a script. No member blocks.
class LiveControls {
public:
  virtual ~LiveControls() = default;
  /// Controlling thread. Returns: why to stop, once a stop has been asked for (it stays asked
  /// for); nullopt while the run should go on.
  [[nodiscard]] virtual std::optional<StopReason> stop_requested() noexcept = 0;
  /// Controlling thread. Returns: file rotations asked for so far (a split capture starts the
  /// next file at each new one).
  [[nodiscard]] virtual unsigned rotations_requested() noexcept { return 0; }
  /// Controlling thread. Returns: manual triggers asked for so far by signal (a triggered
  /// capture starts or ends a take at each new one).
  [[nodiscard]] virtual unsigned signal_triggers() noexcept { return 0; }
  /// Controlling thread. Returns: manual triggers from the terminal (Enter) since the last call.
  [[nodiscard]] virtual unsigned enter_presses() noexcept { return 0; }
};

} // namespace rc
