// app/crash_report.cpp - see crash_report.hpp.
#include "app/crash_report.hpp"

#include <execinfo.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <initializer_list>

namespace rc::app {

namespace {

void write_text(const char* text) {
  if (::write(STDERR_FILENO, text, std::strlen(text)) < 0) {
    // Nothing more can be done from a crashing process.
  }
}

extern "C" void on_fatal_signal(int signal_number) {
  // Only async-signal-safe calls: write(), and backtrace(), preloaded at install time.
  const char* name = signal_number == SIGSEGV  ? "SIGSEGV"
                     : signal_number == SIGBUS ? "SIGBUS"
                     : signal_number == SIGILL ? "SIGILL"
                                               : "SIGFPE";
  write_text("ringcorder: crashed (");
  write_text(name);
  write_text("); backtrace:\n");
  void* frames[64];
  const int n = backtrace(frames, 64);
  backtrace_symbols_fd(frames, n, STDERR_FILENO);
  // SA_RESETHAND restored the default action: dying by the signal keeps the exit status honest.
  std::raise(signal_number);
}

} // namespace

void install_crash_report() noexcept {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return;
#else
  void* warm_up[1];
  backtrace(warm_up, 1); // loads libgcc's unwinder now, not inside the handler
  struct sigaction action {};
  action.sa_handler = &on_fatal_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND | SA_NODEFER;
  for (int s : {SIGSEGV, SIGBUS, SIGILL, SIGFPE}) sigaction(s, &action, nullptr);
#endif
}

} // namespace rc::app
