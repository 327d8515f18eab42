// engine/util/realtime_scope.hpp - marks the audio callback's body for the test-only real-time
// guard (tests/rtguard): inside a RealtimeScope, the guard fails the process on any allocation,
// lock, sleep or I/O call. Without the guard preloaded the hooks are null and a scope costs two
// predictable branches.
#pragma once

namespace rc {

namespace detail {
/// The guard's entry points, looked up once before main() (null when it is not preloaded).
struct RealtimeGuardHooks {
  void (*enter)() = nullptr; ///< rc_rt_guard_enter: this thread is now in a callback
  void (*leave)() = nullptr; ///< rc_rt_guard_leave: this thread left the callback
};
extern const RealtimeGuardHooks realtime_guard_hooks;
} // namespace detail

/// Audio thread: construct first thing in a callback, on the stack. Real-time safe: no
/// allocation, no lock, no syscall (a thread-local flag and a counter when the guard is loaded).
class RealtimeScope {
public:
  RealtimeScope() noexcept {
    if (detail::realtime_guard_hooks.enter) detail::realtime_guard_hooks.enter();
  }
  /// Audio thread. Real-time safe as the constructor: the guard's leave() only decrements a
  /// thread-local depth.
  ~RealtimeScope() {
    if (detail::realtime_guard_hooks.leave) detail::realtime_guard_hooks.leave();
  }
  RealtimeScope(const RealtimeScope&) = delete;
  RealtimeScope& operator=(const RealtimeScope&) = delete;
};

} // namespace rc
