// engine/util/sanitized_build.hpp - whether this build runs under a sanitizer, which changes what
// a real-time priority would do.
#pragma once

namespace rc {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RC_SANITIZED_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define RC_SANITIZED_BUILD 1
#endif
#endif

/// True in an AddressSanitizer or ThreadSanitizer build (GCC's and Clang's own markers). There
/// every memory access is checked and a thread's work costs 5-15 times more, so a worker at
/// SCHED_FIFO, which no normal thread can preempt, holds its core for seconds on a loaded
/// machine: seen under two ThreadSanitizer suites at once, a latency run's worker starved the
/// JACK server (no audio for a minute) and other processes' heartbeat threads (7.8 s).
/// Sanitizer builds check correctness, not timing, so their workers keep the normal priority.
#ifdef RC_SANITIZED_BUILD
inline constexpr bool sanitized_build = true;
#else
inline constexpr bool sanitized_build = false;
#endif

} // namespace rc
