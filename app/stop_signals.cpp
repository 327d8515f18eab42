// app/stop_signals.cpp - see stop_signals.hpp.
#include "app/stop_signals.hpp"

#include <atomic>
#include <csignal>

namespace rc {

namespace {
std::atomic<int> received{0};
static_assert(std::atomic<int>::is_always_lock_free, "used from a signal handler");

std::atomic<unsigned> rotations{0};
static_assert(std::atomic<unsigned>::is_always_lock_free, "used from a signal handler");

extern "C" void on_rotate_signal(int) { rotations.fetch_add(1); }

std::atomic<unsigned> triggers{0};
extern "C" void on_trigger_signal(int) { triggers.fetch_add(1); }

void install_handler(int signal_number, void (*handler)(int)) noexcept {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(signal_number, &action, nullptr);
}

extern "C" void on_stop_signal(int signal_number) {
  int expected = 0;
  received.compare_exchange_strong(expected, signal_number);
}
} // namespace

void install_stop_signals() noexcept {
  for (int s : {SIGINT, SIGTERM, SIGHUP}) install_handler(s, &on_stop_signal);
}

int stop_signal_received() noexcept { return received.load(); }

void install_rotate_signal() noexcept { install_handler(SIGUSR2, &on_rotate_signal); }

unsigned rotate_requests() noexcept { return rotations.load(); }

void install_trigger_signal() noexcept { install_handler(SIGUSR1, &on_trigger_signal); }

unsigned trigger_requests() noexcept { return triggers.load(); }

} // namespace rc
