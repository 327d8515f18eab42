// app/enter_presses.cpp - see enter_presses.hpp.
#include "app/enter_presses.hpp"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

namespace rc {

EnterPresses::EnterPresses(int fd) noexcept : fd_(fd), active_(isatty(fd) == 1) {}

unsigned EnterPresses::poll() noexcept {
  unsigned presses = 0;
  // Only in the terminal's foreground: a capture started with '&' that read the terminal would
  // be stopped by SIGTTIN, audio and all. (Lines typed meanwhile are the foreground's.)
  // (No foreground group at all, -1: a terminal that is not our controlling one, where reading
  // cannot stop us.)
  if (!active_) return 0;
  if (const pid_t foreground = tcgetpgrp(fd_); foreground != -1 && foreground != getpgrp())
    return 0;
  while (active_) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 0) != 1 || (p.revents & POLLIN) == 0) break;
    char buffer[256];
    const ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n <= 0) { // end of input (the terminal went away): stop listening
      active_ = false;
      break;
    }
    for (ssize_t i = 0; i < n; ++i) presses += buffer[i] == '\n' ? 1 : 0;
  }
  return presses;
}

} // namespace rc
