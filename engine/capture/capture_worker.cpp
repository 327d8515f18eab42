// engine/capture/capture_worker.cpp - see capture_worker.hpp.
#include "engine/capture/capture_worker.hpp"

#include "engine/util/sanitized_build.hpp"

#include <algorithm>

#include <pthread.h>
#include <sched.h>

namespace rc {

CaptureWorker::CaptureWorker(CaptureConsumer& consumer, FrameSink& sink,
                             std::chrono::microseconds poll_interval,
                             std::optional<WorkerStall> stall,
                             std::chrono::milliseconds checkpoint_every)
    : consumer_(consumer), sink_(sink), poll_interval_(poll_interval), stall_(stall),
      checkpoint_every_(checkpoint_every) {}

CaptureWorker::~CaptureWorker() {
  if (thread_.joinable()) stop_and_join();
}

bool CaptureWorker::start(bool realtime_priority, int priority) {
  thread_ = std::thread([this] { run(); });
  if (!realtime_priority || sanitized_build) return false;
  sched_param parameters{};
  parameters.sched_priority = priority;
  return pthread_setschedparam(thread_.native_handle(), SCHED_FIFO, &parameters) == 0;
}

void CaptureWorker::stop_and_join() {
  stop_.store(true, std::memory_order_release);
  if (thread_.joinable()) thread_.join();
}

void CaptureWorker::run() {
  using clock = std::chrono::steady_clock;
  auto last_checkpoint = clock::now();
  auto deadline = clock::now();
  for (;;) {
    // Read the stop flag before draining: everything pushed before the stream stopped is then
    // drained by this last pass.
    const bool stopping = stop_.load(std::memory_order_acquire);
    if (stall_ && consumer_.frames_written() >= stall_->at_frame) {
      std::this_thread::sleep_for(stall_->duration);
      stall_.reset();
    }
    if (!consumer_.drain()) {
      failed_.store(true, std::memory_order_release);
      return;
    }
    if (clock::now() - last_checkpoint >= checkpoint_every_) {
      sink_.checkpoint();
      last_checkpoint = clock::now();
    }
    if (stopping) return;
    // Absolute deadlines keep the cadence even when a drain takes a while.
    deadline += poll_interval_;
    const auto now = clock::now();
    if (deadline < now) deadline = now;
    std::this_thread::sleep_until(deadline);
    const auto late = clock::now() - deadline;
    wake_delay_ns_.record(static_cast<std::uint64_t>(std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::nanoseconds>(late).count())));
  }
}

} // namespace rc
