// engine/capture/capture_worker.hpp - the DSP worker thread: wakes on a timer, drains the rings.
#pragma once

#include "engine/capture/capture_consumer.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>

namespace rc {

/// Test-only fault: the worker sleeps once it has written `at_frame` frames, so the ring fills.
struct WorkerStall {
  std::uint64_t at_frame = 0;            ///< When to stall (frames written).
  std::chrono::milliseconds duration{0}; ///< How long.
};

/// Runs a CaptureConsumer on its own thread, waking every `poll_interval` (a timer, not a signal
/// from the callback: see CaptureChannel). start/stop from the controlling thread.
class CaptureWorker {
public:
  /// `poll_interval`: how often to drain (a fraction of a period keeps the ring nearly empty).
  /// `checkpoint_every`: how often to make the file crash-safe (header rewrite).
  CaptureWorker(CaptureConsumer& consumer, FrameSink& sink, std::chrono::microseconds poll_interval,
                std::optional<WorkerStall> stall = std::nullopt,
                std::chrono::milliseconds checkpoint_every = std::chrono::seconds(1));
  ~CaptureWorker();
  CaptureWorker(const CaptureWorker&) = delete;
  CaptureWorker& operator=(const CaptureWorker&) = delete;

  /// Controlling thread. Effects: starts the thread. With `realtime_priority` it asks for
  /// SCHED_FIFO priority `priority` (below a typical audio thread's) so a busy machine cannot
  /// delay it past a period; without the privilege it runs at normal priority, and so it does in
  /// a sanitizer build (sanitized_build: there the worker's inflated work at SCHED_FIFO starves
  /// the machine).
  /// Returns: true when the real-time priority was granted (false if not asked, refused or a
  /// sanitizer build).
  bool start(bool realtime_priority = false, int priority = 10);
  /// Controlling thread. Effects: asks the thread to drain what is there and end; waits for it.
  void stop_and_join();
  /// Any thread. Returns: true once a write failed (the worker has stopped writing).
  [[nodiscard]] bool failed() const noexcept { return failed_.load(std::memory_order_acquire); }
  /// After stop_and_join(). Returns: how late each timed wake-up was (ns).
  [[nodiscard]] const LogHistogram& wake_delay_ns() const noexcept { return wake_delay_ns_; }

private:
  void run();

  CaptureConsumer& consumer_;
  FrameSink& sink_;
  std::chrono::microseconds poll_interval_;
  std::optional<WorkerStall> stall_;
  std::chrono::milliseconds checkpoint_every_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> failed_{false};
  LogHistogram wake_delay_ns_;
  std::thread thread_;
};

} // namespace rc
