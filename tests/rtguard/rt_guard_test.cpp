// tests/rtguard/rt_guard_test.cpp - the real-time guard fires on each kind of forbidden call made
// inside a RealtimeScope (deliberately bad callbacks), and stays quiet for what a callback may do
// (atomics, ring pushes, arithmetic) and for calls outside a scope or on other threads.
// Runs with LD_PRELOAD=librc_rtguard.so (see tests/CMakeLists.txt), in count-only mode except
// for the abort case.
#include "engine/tap/tap_publisher.hpp"
#include "engine/util/realtime_scope.hpp"
#include "ringbuf/spsc_ring.hpp"

#include <dlfcn.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

template <typename Fn> Fn guard_function(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, name));
}

unsigned long violations() {
  static auto fn = guard_function<unsigned long (*)()>("rc_rt_guard_violations");
  REQUIRE(static_cast<bool>(fn));
  return fn();
}

std::string first_violation() {
  static auto fn = guard_function<const char* (*)()>("rc_rt_guard_first_violation");
  REQUIRE(static_cast<bool>(fn));
  const char* name = fn();
  return name ? name : "";
}

/// Runs `body` as a callback would (inside a RealtimeScope) and returns how many violations
/// the guard counted meanwhile.
unsigned long violations_in_callback(const std::function<void()>& body) {
  const unsigned long before = violations();
  {
    const rc::RealtimeScope realtime;
    body();
  }
  return violations() - before;
}

/// Count-only mode for every case here (the abort case switches back), set before any test runs.
const bool counting_only = [] {
  if (auto set_abort = guard_function<void (*)(int)>("rc_rt_guard_set_abort")) set_abort(0);
  return true;
}();

// The optimiser must not drop the allocations these bad callbacks make.
void* volatile sink_pointer = nullptr;

} // namespace

TEST_CASE("the guard is preloaded and the scope finds its hooks") {
  REQUIRE(static_cast<bool>(guard_function<void (*)()>("rc_rt_guard_enter")));
  CHECK(static_cast<bool>(rc::detail::realtime_guard_hooks.enter));
  CHECK(static_cast<bool>(rc::detail::realtime_guard_hooks.leave));
  auto scopes = guard_function<unsigned long (*)()>("rc_rt_guard_scopes");
  const unsigned long before = scopes();
  { const rc::RealtimeScope realtime; }
  CHECK(scopes() == before + 1);
}

TEST_CASE("a well-behaved callback passes: atomics, a ring push and pop, arithmetic") {
  ringbuf::SpscRing<float> ring(1024); // allocated before the "stream" starts
  std::atomic<std::uint64_t> counter{0};
  const unsigned long n = violations_in_callback([&] {
    float block[256];
    for (int i = 0; i < 256; ++i) block[i] = static_cast<float>(i) * 0.5f;
    CHECK(ring.push(block, 256) == 256);
    float out[256];
    CHECK(ring.pop(out, 256) == 256);
    counter.fetch_add(256, std::memory_order_relaxed);
  });
  CHECK(n == 0);
}

TEST_CASE("publishing to the shared-memory tap makes no forbidden call") {
  // The worker publishes, not the callback; held to the callback's rules all the same: no
  // allocation, lock, sleep, system call or I/O.
  rc::TapPublisher tap("rtguard-" + std::to_string(::getpid()), 48000, {8, 256}, 2);
  std::vector<float> block(2 * 1000, 0.25f); // 4 slots
  const unsigned long n = violations_in_callback([&] {
    tap.on_frames(0, rc::ConstFrames{block.data(), 1000, 2});
    tap.on_silence(1000, 600); // 3 slots
  });
  CHECK(n == 0);
  CHECK(tap.blocks_published() == 7);
}

TEST_CASE("deliberately bad callbacks: each forbidden call is caught and named") {
  struct Case {
    const char* name;
    std::function<void()> body;
  };
  std::mutex mutex;
  std::condition_variable cv;
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  std::atomic<int> futex_word{0};
  void* preallocated = std::malloc(16);
  std::vector<int>* presized = new std::vector<int>();
  // For the waits: a std::mutex held by a unique_lock, and raw pthread objects with a thread that
  // signals the untimed wait once it has begun.
  auto held = std::make_unique<std::unique_lock<std::mutex>>(mutex, std::defer_lock);
  pthread_mutex_t raw_mutex = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t raw_cv = PTHREAD_COND_INITIALIZER;
  std::atomic<bool> notifier_go{false};
  bool notified = false; // guarded by raw_mutex
  std::thread notifier([&] {
    while (!notifier_go.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(5)); // let the wait begin
    pthread_mutex_lock(&raw_mutex);
    notified = true;
    pthread_cond_signal(&raw_cv);
    pthread_mutex_unlock(&raw_mutex);
  });
  const std::vector<Case> cases = {
      {"malloc", [] { sink_pointer = std::malloc(64); }},
      {"free", [&] { std::free(preallocated); }},
      {"operator new", [] { sink_pointer = new int(7); }},
      {"operator delete", [&] { delete presized; }},
      {"operator new",
       [] {
         std::vector<float> grows;
         grows.push_back(1.0f);
       }},
      {"pthread_mutex_lock", [&] { std::lock_guard<std::mutex> lock(mutex); }},
      // The waits run with the mutex already held (locked before the scope, see below), so
      // the wait itself is the first forbidden call.
      {"pthread_cond_clockwait", // what libstdc++'s wait_for calls
       [&] { cv.wait_for(*held, std::chrono::microseconds(1)); }},
      {"pthread_cond_timedwait", // the versioned symbol (GLIBC_2.3.2), looked up with dlvsym
       [&] {
         const timespec past{0, 0};
         pthread_cond_timedwait(&raw_cv, &raw_mutex, &past);
       }},
      {"pthread_cond_wait",
       [&] {
         notifier_go.store(true);
         while (!notified) pthread_cond_wait(&raw_cv, &raw_mutex);
       }},
      {"write", [&] { (void)!write(pipe_fds[1], "x", 1); }},
      {"read", [&] { (void)!read(pipe_fds[0], &futex_word, 1); }},
      {"nanosleep", [] { std::this_thread::sleep_for(std::chrono::microseconds(1)); }},
      {"syscall(SYS_futex, FUTEX_WAIT)",
       [&] {
         // Expects 1 but the word holds 0: returns EAGAIN at once, yet it is a wait.
         syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 1, nullptr, nullptr, 0);
       }},
      {"fopen",
       [] {
         if (FILE* f = std::fopen("/dev/null", "w")) sink_pointer = static_cast<void*>(f);
       }},
  };
  static auto clear_first = guard_function<void (*)()>("rc_rt_guard_clear_first");
  REQUIRE(static_cast<bool>(clear_first));
  for (const Case& c : cases) {
    INFO("forbidden call: " << c.name);
    const bool waits = std::string(c.name).starts_with("pthread_cond");
    if (waits) {
      held->lock();
      pthread_mutex_lock(&raw_mutex);
    }
    clear_first();
    CHECK(violations_in_callback(c.body) >= 1);
    CHECK(first_violation() == c.name); // the case's own call was caught first
    if (waits) {
      held->unlock();
      pthread_mutex_unlock(&raw_mutex);
    }
  }
  notifier.join();
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  // The cases' allocations are leaked on purpose: this process ends with the test.
}

TEST_CASE("a single forbidden call counts exactly once") {
  // A fresh counting run per kind would need a process each; instead check that a single
  // forbidden call adds exactly one violation (no hidden extra calls in the scope machinery).
  CHECK(violations_in_callback([] { sink_pointer = std::malloc(8); }) == 1);
  CHECK(violations_in_callback([] { std::this_thread::sleep_for(std::chrono::nanoseconds(1)); }) ==
        1);
  CHECK(violations_in_callback([] {
          int fd = ::open("/dev/null", O_WRONLY);
          sink_pointer = reinterpret_cast<void*>(static_cast<std::intptr_t>(fd));
        }) >= 1);
}

TEST_CASE("outside a scope, and on other threads, nothing is counted") {
  const unsigned long before = violations();
  sink_pointer = std::malloc(32);
  std::free(const_cast<void*>(sink_pointer));
  CHECK(violations() == before);

  // Another thread allocates while this one is inside a scope: the flag is per thread.
  std::atomic<bool> go{false}, done{false};
  std::thread other([&] {
    while (!go.load()) {
    }
    void* p = std::malloc(128);
    std::free(p);
    done.store(true);
  });
  const unsigned long n = violations_in_callback([&] {
    go.store(true);
    while (!done.load()) {
    }
  });
  other.join();
  CHECK(n == 0);
}

TEST_CASE("a futex wake (signalling the worker) is allowed") {
  std::atomic<int> word{0};
  CHECK(violations_in_callback(
            [&] { syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0); }) == 0);
}

TEST_CASE("abort mode: a bad callback kills the process with the call named" *
          doctest::skip(true)) {
  // Run explicitly by rtguard/abort_mode_kills_a_bad_callback (tests/CMakeLists.txt):
  // the process must die with "rt-guard: malloc called inside the real-time audio callback".
  guard_function<void (*)(int)>("rc_rt_guard_set_abort")(1);
  const rc::RealtimeScope realtime;
  sink_pointer = std::malloc(1);
}
