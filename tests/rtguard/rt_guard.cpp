// tests/rtguard/rt_guard.cpp - librc_rtguard.so, a test-only real-time guard.
//
// Preloaded (LD_PRELOAD) into ringcorder by the integration tests. It interposes the calls an
// audio callback must never make: allocation and free (malloc family, operator new/delete),
// locks and condition waits, sleeps, file and socket I/O, mmap, and futex waits made through
// syscall(). Each checks a thread-local flag that rc::RealtimeScope sets for the duration of the
// callback (through rc_rt_guard_enter/leave, found with dlsym); outside a scope, or on any other
// thread, the call passes straight through.
//
// On a violation, by default, it writes one line naming the call to stderr and aborts: the test
// fails with the culprit named. RC_RT_GUARD_MODE=count (or rc_rt_guard_set_abort(0)) only
// counts, for the guard's own unit test. RC_RT_GUARD_REPORT=FILE appends "pid=P scopes=S
// violations=V first=NAME" at exit, so a test can prove the guard really watched the callbacks.
//
// Why not dlsym for the allocator: dlsym itself may allocate. glibc exports __libc_malloc and
// friends, which call the real allocator directly. The flags are initial-exec TLS, because the
// general TLS model may call malloc on a thread's first access: that would recurse.
#include <dlfcn.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

extern "C" {
void* __libc_malloc(size_t);
void __libc_free(void*);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void* __libc_memalign(size_t, size_t);
}

#define RT_GUARD_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

/// Depth of RealtimeScope on this thread (0: not in a callback).
__attribute__((tls_model("initial-exec"))) thread_local int scope_depth = 0;
/// Set while the guard handles a violation, so its own calls pass through.
__attribute__((tls_model("initial-exec"))) thread_local bool handling = false;

std::atomic<unsigned long> scopes_entered{0};
std::atomic<unsigned long> violation_count{0};
std::atomic<const char*> first_violation{nullptr};

/// Returns: whether open()'s flags come with a mode argument (glibc's rule: O_TMPFILE contains
/// O_DIRECTORY, so testing for any of its bits would read a mode nobody passed).
bool takes_mode(int flags) { return (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE; }

/// Looks up the next definition of `name` once (dlvsym when the symbol has several versions).
template <typename Fn>
Fn next(const char* name, std::atomic<void*>& cache, const char* version = nullptr) {
  void* fn = cache.load(std::memory_order_acquire);
  if (!fn) {
    fn = version ? dlvsym(RTLD_NEXT, name, version) : dlsym(RTLD_NEXT, name);
    if (!fn) fn = dlsym(RTLD_NEXT, name);
    cache.store(fn, std::memory_order_release);
  }
  return reinterpret_cast<Fn>(fn);
}

#define REAL(fn, ...)                                                                              \
  ([]() {                                                                                          \
    static std::atomic<void*> cache{nullptr};                                                      \
    return next<decltype(&::fn)>(#fn, cache __VA_OPT__(, ) __VA_ARGS__);                           \
  }())

/// Abort on a violation (the default) or only count; set from RC_RT_GUARD_MODE at load time, or
/// by rc_rt_guard_set_abort().
std::atomic<bool> abort_on_violation{[] {
  const char* mode = std::getenv("RC_RT_GUARD_MODE");
  return !(mode && std::strcmp(mode, "count") == 0);
}()};

bool abort_mode() { return abort_on_violation.load(std::memory_order_relaxed); }

void write_stderr(const char* text) {
  // The real write(), so the guard's own output is not itself a violation.
  REAL(write)(STDERR_FILENO, text, std::strlen(text));
}

/// Called at the top of every interposed function. Counts (and by default aborts on) a call
/// made inside a real-time scope.
void check(const char* what) {
  if (scope_depth == 0 || handling) return;
  handling = true;
  violation_count.fetch_add(1, std::memory_order_relaxed);
  const char* none = nullptr;
  first_violation.compare_exchange_strong(none, what);
  if (abort_mode()) {
    write_stderr("rt-guard: ");
    write_stderr(what);
    write_stderr(" called inside the real-time audio callback\n");
    std::abort();
  }
  handling = false;
}

__attribute__((destructor)) void write_report() {
  const char* path = std::getenv("RC_RT_GUARD_REPORT");
  if (!path) return;
  char line[256];
  const char* first = first_violation.load();
  const int n = std::snprintf(line, sizeof line, "pid=%d scopes=%lu violations=%lu first=%s\n",
                              static_cast<int>(getpid()), scopes_entered.load(),
                              violation_count.load(), first ? first : "-");
  const int fd = REAL(open)(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;
  if (REAL(write)(fd, line, static_cast<size_t>(n)) < 0) {
    // Nothing to do: a missing line makes the test that reads the report fail.
  }
  REAL(close)(fd);
}

} // namespace

// --- The guard's interface, called by rc::RealtimeScope and by tests -----------------------------

RT_GUARD_EXPORT void rc_rt_guard_enter() {
  if (scope_depth++ == 0) scopes_entered.fetch_add(1, std::memory_order_relaxed);
}
RT_GUARD_EXPORT void rc_rt_guard_leave() { --scope_depth; }
RT_GUARD_EXPORT unsigned long rc_rt_guard_violations() { return violation_count.load(); }
RT_GUARD_EXPORT unsigned long rc_rt_guard_scopes() { return scopes_entered.load(); }
RT_GUARD_EXPORT const char* rc_rt_guard_first_violation() { return first_violation.load(); }
/// Forgets the first violation's name, so a test can ask which call of one case came first.
RT_GUARD_EXPORT void rc_rt_guard_clear_first() { first_violation.store(nullptr); }
/// Chooses abort (non-zero) or count-only (zero) mode; the unit test counts, then proves abort.
RT_GUARD_EXPORT void rc_rt_guard_set_abort(int abort_on) {
  abort_on_violation.store(abort_on != 0);
}

/// Defines an interposer of `fn` that checks, then forwards to the next definition.
#define RT_GUARD_INTERPOSE(ret, fn, params, args)                                                  \
  RT_GUARD_EXPORT ret fn params {                                                                  \
    check(#fn);                                                                                    \
    return REAL(fn) args;                                                                          \
  }

// --- Allocation ----------------------------------------------------------------------------------

RT_GUARD_EXPORT void* malloc(size_t n) {
  check("malloc");
  return __libc_malloc(n);
}
RT_GUARD_EXPORT void free(void* p) {
  if (p) check("free");
  __libc_free(p);
}
RT_GUARD_EXPORT void* calloc(size_t n, size_t size) {
  check("calloc");
  return __libc_calloc(n, size);
}
RT_GUARD_EXPORT void* realloc(void* p, size_t n) {
  check("realloc");
  return __libc_realloc(p, n);
}
RT_GUARD_EXPORT void* memalign(size_t align, size_t n) {
  check("memalign");
  return __libc_memalign(align, n);
}
RT_GUARD_EXPORT void* aligned_alloc(size_t align, size_t n) {
  check("aligned_alloc");
  return __libc_memalign(align, n);
}
RT_GUARD_EXPORT int posix_memalign(void** out, size_t align, size_t n) {
  check("posix_memalign");
  if (align < sizeof(void*) || (align & (align - 1)) != 0) return EINVAL;
  void* p = __libc_memalign(align, n);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}

namespace {
void* checked_new(const char* what, std::size_t n, std::size_t align = 0) {
  check(what);
  void* p = align ? __libc_memalign(align, n ? n : 1) : __libc_malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  return p;
}
void* checked_new_nothrow(const char* what, std::size_t n, std::size_t align = 0) noexcept {
  check(what);
  return align ? __libc_memalign(align, n ? n : 1) : __libc_malloc(n ? n : 1);
}
void checked_delete(const char* what, void* p) noexcept {
  if (p) check(what);
  __libc_free(p);
}
} // namespace

void* operator new(std::size_t n) { return checked_new("operator new", n); }
void* operator new[](std::size_t n) { return checked_new("operator new[]", n); }
void* operator new(std::size_t n, std::align_val_t a) {
  return checked_new("operator new", n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return checked_new("operator new[]", n, static_cast<std::size_t>(a));
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return checked_new_nothrow("operator new", n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return checked_new_nothrow("operator new[]", n);
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return checked_new_nothrow("operator new", n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return checked_new_nothrow("operator new[]", n, static_cast<std::size_t>(a));
}
void operator delete(void* p) noexcept { checked_delete("operator delete", p); }
void operator delete[](void* p) noexcept { checked_delete("operator delete[]", p); }
void operator delete(void* p, std::size_t) noexcept { checked_delete("operator delete", p); }
void operator delete[](void* p, std::size_t) noexcept { checked_delete("operator delete[]", p); }
void operator delete(void* p, std::align_val_t) noexcept { checked_delete("operator delete", p); }
void operator delete[](void* p, std::align_val_t) noexcept {
  checked_delete("operator delete[]", p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  checked_delete("operator delete", p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  checked_delete("operator delete[]", p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  checked_delete("operator delete", p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  checked_delete("operator delete[]", p);
}

RT_GUARD_INTERPOSE(void*, mmap, (void* addr, size_t n, int prot, int flags, int fd, off_t offset),
                   (addr, n, prot, flags, fd, offset))
RT_GUARD_INTERPOSE(int, munmap, (void* addr, size_t n), (addr, n))

// --- Locks and waits -----------------------------------------------------------------------------

RT_GUARD_INTERPOSE(int, pthread_mutex_lock, (pthread_mutex_t * m), (m))
RT_GUARD_INTERPOSE(int, pthread_mutex_timedlock, (pthread_mutex_t * m, const struct timespec* t),
                   (m, t))
RT_GUARD_INTERPOSE(int, pthread_rwlock_rdlock, (pthread_rwlock_t * l), (l))
RT_GUARD_INTERPOSE(int, pthread_rwlock_wrlock, (pthread_rwlock_t * l), (l))
RT_GUARD_INTERPOSE(int, pthread_spin_lock, (pthread_spinlock_t * l), (l))
// The condition variable functions have two versions in glibc; dlsym alone finds the old one.
RT_GUARD_EXPORT int pthread_cond_wait(pthread_cond_t* c, pthread_mutex_t* m) {
  check("pthread_cond_wait");
  return REAL(pthread_cond_wait, "GLIBC_2.3.2")(c, m);
}
RT_GUARD_EXPORT int pthread_cond_timedwait(pthread_cond_t* c, pthread_mutex_t* m,
                                           const struct timespec* t) {
  check("pthread_cond_timedwait");
  return REAL(pthread_cond_timedwait, "GLIBC_2.3.2")(c, m, t);
}
RT_GUARD_INTERPOSE(int, pthread_cond_clockwait,
                   (pthread_cond_t * c, pthread_mutex_t* m, clockid_t clock,
                    const struct timespec* t),
                   (c, m, clock, t))
RT_GUARD_INTERPOSE(int, pthread_join, (pthread_t t, void** result), (t, result))
RT_GUARD_INTERPOSE(int, pthread_mutex_clocklock,
                   (pthread_mutex_t * m, clockid_t clock, const struct timespec* t), (m, clock, t))
RT_GUARD_INTERPOSE(int, pthread_rwlock_timedrdlock,
                   (pthread_rwlock_t * l, const struct timespec* t), (l, t))
RT_GUARD_INTERPOSE(int, pthread_rwlock_timedwrlock,
                   (pthread_rwlock_t * l, const struct timespec* t), (l, t))
RT_GUARD_INTERPOSE(int, pthread_barrier_wait, (pthread_barrier_t * b), (b))
RT_GUARD_INTERPOSE(int, sem_clockwait, (sem_t * s, clockid_t clock, const struct timespec* t),
                   (s, clock, t))
RT_GUARD_INTERPOSE(int, sem_wait, (sem_t * s), (s))
RT_GUARD_INTERPOSE(int, sem_timedwait, (sem_t * s, const struct timespec* t), (s, t))

// syscall(): futex waits block; a futex wake (signalling another thread) does not.
RT_GUARD_EXPORT long syscall(long number, ...) {
  va_list args;
  va_start(args, number);
  long a[6];
  for (long& x : a) x = va_arg(args, long);
  va_end(args);
  if (number == SYS_futex) {
    const long op = a[1] & FUTEX_CMD_MASK;
    if (op == FUTEX_WAIT || op == FUTEX_WAIT_BITSET || op == FUTEX_LOCK_PI ||
        op == FUTEX_WAIT_REQUEUE_PI)
      check("syscall(SYS_futex, FUTEX_WAIT)");
  } else {
    check("syscall");
  }
  return REAL(syscall)(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

// --- Sleeping ------------------------------------------------------------------------------------

RT_GUARD_INTERPOSE(int, nanosleep, (const struct timespec* t, struct timespec* rem), (t, rem))
RT_GUARD_INTERPOSE(int, clock_nanosleep,
                   (clockid_t clock, int flags, const struct timespec* t, struct timespec* rem),
                   (clock, flags, t, rem))
RT_GUARD_INTERPOSE(int, usleep, (useconds_t us), (us))
RT_GUARD_INTERPOSE(unsigned, sleep, (unsigned s), (s))

// --- File and socket I/O -------------------------------------------------------------------------

RT_GUARD_INTERPOSE(ssize_t, write, (int fd, const void* buf, size_t n), (fd, buf, n))
RT_GUARD_INTERPOSE(ssize_t, pwrite, (int fd, const void* buf, size_t n, off_t offset),
                   (fd, buf, n, offset))
RT_GUARD_INTERPOSE(ssize_t, writev, (int fd, const struct iovec* iov, int count), (fd, iov, count))
RT_GUARD_INTERPOSE(ssize_t, read, (int fd, void* buf, size_t n), (fd, buf, n))
RT_GUARD_INTERPOSE(ssize_t, pread, (int fd, void* buf, size_t n, off_t offset),
                   (fd, buf, n, offset))
/// Defines an interposer of an open()-like function: the mode argument exists only for some flags.
#define RT_GUARD_INTERPOSE_OPEN(fn, params, args)                                                  \
  RT_GUARD_EXPORT int fn params {                                                                  \
    check(#fn);                                                                                    \
    va_list va;                                                                                    \
    va_start(va, flags);                                                                           \
    const mode_t mode = takes_mode(flags) ? va_arg(va, mode_t) : 0;                                \
    va_end(va);                                                                                    \
    return REAL(fn) args;                                                                          \
  }
RT_GUARD_INTERPOSE_OPEN(open, (const char* path, int flags, ...), (path, flags, mode))
RT_GUARD_INTERPOSE_OPEN(openat, (int dir, const char* path, int flags, ...),
                        (dir, path, flags, mode))
RT_GUARD_INTERPOSE_OPEN(open64, (const char* path, int flags, ...), (path, flags, mode))
RT_GUARD_INTERPOSE(int, __open_2, (const char* path, int flags), (path, flags)) // fortified open
RT_GUARD_INTERPOSE(ssize_t, readv, (int fd, const struct iovec* iov, int count), (fd, iov, count))
RT_GUARD_INTERPOSE(ssize_t, pread64, (int fd, void* buf, size_t n, off64_t offset),
                   (fd, buf, n, offset))
RT_GUARD_INTERPOSE(ssize_t, pwrite64, (int fd, const void* buf, size_t n, off64_t offset),
                   (fd, buf, n, offset))
RT_GUARD_INTERPOSE(ssize_t, __read_chk, (int fd, void* buf, size_t n, size_t size),
                   (fd, buf, n, size))
RT_GUARD_INTERPOSE(int, close, (int fd), (fd))
RT_GUARD_INTERPOSE(int, fsync, (int fd), (fd))
RT_GUARD_INTERPOSE(int, fdatasync, (int fd), (fd))
RT_GUARD_INTERPOSE(FILE*, fopen, (const char* path, const char* mode), (path, mode))
RT_GUARD_INTERPOSE(size_t, fwrite, (const void* buf, size_t size, size_t n, FILE* f),
                   (buf, size, n, f))
RT_GUARD_INTERPOSE(FILE*, fopen64, (const char* path, const char* mode), (path, mode))
RT_GUARD_INTERPOSE(int, fclose, (FILE * f), (f))
RT_GUARD_INTERPOSE(size_t, fread, (void* buf, size_t size, size_t n, FILE* f), (buf, size, n, f))
RT_GUARD_INTERPOSE(int, fputc, (int c, FILE* f), (c, f))
RT_GUARD_INTERPOSE(int, putc, (int c, FILE* f), (c, f))
RT_GUARD_INTERPOSE(int, putchar, (int c), (c))
RT_GUARD_INTERPOSE(int, fputs, (const char* s, FILE* f), (s, f))
RT_GUARD_INTERPOSE(int, puts, (const char* s), (s))
RT_GUARD_INTERPOSE(int, vfprintf, (FILE * f, const char* format, va_list args), (f, format, args))
/// Defines an interposer of a variadic printf-family function that checks, then forwards its
/// arguments to the va_list function `forward_to` (with `forward_args`, ending in `args`).
#define RT_GUARD_INTERPOSE_PRINTF(fn, params, forward_to, forward_args)                            \
  RT_GUARD_EXPORT int fn params {                                                                  \
    check(#fn);                                                                                    \
    va_list args;                                                                                  \
    va_start(args, format);                                                                        \
    const int n = REAL(forward_to) forward_args;                                                   \
    va_end(args);                                                                                  \
    return n;                                                                                      \
  }
RT_GUARD_INTERPOSE_PRINTF(fprintf, (FILE * f, const char* format, ...), vfprintf, (f, format, args))
RT_GUARD_INTERPOSE_PRINTF(printf, (const char* format, ...), vfprintf, (stdout, format, args))
// The _FORTIFY_SOURCE spellings of the printf family, which fortified builds call instead.
RT_GUARD_INTERPOSE(int, __vfprintf_chk, (FILE * f, int flag, const char* format, va_list args),
                   (f, flag, format, args))
RT_GUARD_INTERPOSE_PRINTF(__fprintf_chk, (FILE * f, int flag, const char* format, ...),
                          __vfprintf_chk, (f, flag, format, args))
RT_GUARD_INTERPOSE_PRINTF(__printf_chk, (int flag, const char* format, ...), __vfprintf_chk,
                          (stdout, flag, format, args))
RT_GUARD_INTERPOSE(int, fflush, (FILE * f), (f))
RT_GUARD_INTERPOSE(int, ppoll,
                   (struct pollfd * fds, nfds_t n, const struct timespec* t, const sigset_t* mask),
                   (fds, n, t, mask))
RT_GUARD_INTERPOSE(int, epoll_wait, (int fd, struct epoll_event* events, int n, int timeout),
                   (fd, events, n, timeout))
RT_GUARD_INTERPOSE(ssize_t, sendmsg, (int fd, const struct msghdr* m, int flags), (fd, m, flags))
RT_GUARD_INTERPOSE(ssize_t, recvmsg, (int fd, struct msghdr* m, int flags), (fd, m, flags))
RT_GUARD_INTERPOSE(int, connect, (int fd, const struct sockaddr* to, socklen_t len), (fd, to, len))
RT_GUARD_INTERPOSE(int, accept, (int fd, struct sockaddr* from, socklen_t* len), (fd, from, len))
RT_GUARD_INTERPOSE(int, poll, (struct pollfd * fds, nfds_t n, int timeout), (fds, n, timeout))
RT_GUARD_INTERPOSE(int, select, (int n, fd_set* r, fd_set* w, fd_set* e, struct timeval* t),
                   (n, r, w, e, t))
RT_GUARD_INTERPOSE(ssize_t, send, (int fd, const void* buf, size_t n, int flags),
                   (fd, buf, n, flags))
RT_GUARD_INTERPOSE(ssize_t, recv, (int fd, void* buf, size_t n, int flags), (fd, buf, n, flags))
RT_GUARD_INTERPOSE(ssize_t, sendto,
                   (int fd, const void* buf, size_t n, int flags, const struct sockaddr* to,
                    socklen_t len),
                   (fd, buf, n, flags, to, len))
RT_GUARD_INTERPOSE(ssize_t, recvfrom,
                   (int fd, void* buf, size_t n, int flags, struct sockaddr* from, socklen_t* len),
                   (fd, buf, n, flags, from, len))
