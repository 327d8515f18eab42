// app/enter_presses.hpp - Enter pressed on the controlling terminal, counted without
// blocking (capture --trigger: Enter starts or ends a take).
#pragma once

namespace rc {

/// Counts lines typed on a file descriptor that is a terminal (normally stdin). Not a terminal
/// (a pipe, /dev/null, a script's input): counts nothing and never reads, so a recorder started
/// from a script does not swallow the script's input. One thread (the main thread).
class EnterPresses {
public:
  /// Effects: remembers whether `fd` is a terminal.
  explicit EnterPresses(int fd = 0) noexcept;
  /// Main thread. Effects: reads whatever has been typed, without waiting; nothing while the
  /// process is not in the terminal's foreground process group (reading would stop it).
  /// Returns: how many times Enter was pressed since the last call.
  unsigned poll() noexcept;
  /// Returns: true when `fd` is a terminal (Enter can trigger).
  [[nodiscard]] bool active() const noexcept { return active_; }

private:
  int fd_;
  bool active_;
};

} // namespace rc
