// app/stop_signals.hpp - SIGINT/SIGTERM/SIGHUP become a polite stop request; SIGUSR2 a
// request to rotate the output file; SIGUSR1 a manual trigger (start or end a take).
#pragma once

namespace rc {

/// Main thread, once. Effects: installs handlers that record the signal (async-signal-safe: one
/// lock-free atomic store) instead of killing the process, so a recording can be finalized.
void install_stop_signals() noexcept;

/// Any thread. Returns: the number of the first stop signal received, or 0.
int stop_signal_received() noexcept;

/// Main thread, once. Effects: SIGUSR2 becomes a request to start the next file (capture):
/// the handler only increments a lock-free counter.
void install_rotate_signal() noexcept;

/// Any thread. Returns: how many SIGUSR2 have arrived since install_rotate_signal().
unsigned rotate_requests() noexcept;

/// Main thread, once. Effects: SIGUSR1 becomes a manual trigger (capture --trigger): the handler
/// only increments a lock-free counter.
void install_trigger_signal() noexcept;

/// Any thread. Returns: how many SIGUSR1 have arrived since install_trigger_signal().
unsigned trigger_requests() noexcept;

} // namespace rc
