// app/crash_report.hpp - a fatal signal prints where it happened before the process dies.
#pragma once

namespace rc::app {

/// Main thread, once, early. Effects: on SIGSEGV, SIGBUS, SIGILL or SIGFPE writes
/// "ringcorder: crashed (SIGSEGV); backtrace:" and the stack to stderr, then dies by the same
/// signal (the exit status still says so). Why: a rare crash on a test machine is otherwise a
/// bare "exited 139". Not installed in sanitizer builds, whose own reports are better.
void install_crash_report() noexcept;

} // namespace rc::app
