// engine/util/realtime_scope.cpp - finds the real-time guard's hooks, if it is preloaded.
#include "engine/util/realtime_scope.hpp"

#include <dlfcn.h>

namespace rc::detail {

namespace {
RealtimeGuardHooks find_hooks() noexcept {
  // dlsym once, at static initialisation on the main thread: never on the audio thread.
  RealtimeGuardHooks hooks;
  hooks.enter = reinterpret_cast<void (*)()>(dlsym(RTLD_DEFAULT, "rc_rt_guard_enter"));
  hooks.leave = reinterpret_cast<void (*)()>(dlsym(RTLD_DEFAULT, "rc_rt_guard_leave"));
  if (!hooks.enter || !hooks.leave) hooks = {};
  return hooks;
}
} // namespace

const RealtimeGuardHooks realtime_guard_hooks = find_hooks();

} // namespace rc::detail
