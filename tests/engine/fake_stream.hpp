// tests/engine/fake_stream.hpp - an audio stream without a device: a thread that calls a
// CaptureProducer as PortAudio's callback would, block after block.
#pragma once

#include "engine/capture/capture_producer.hpp"
#include "engine/core/stream_state.hpp"
#include "tests/engine/counter_block.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

namespace rc::test {

/// Calls `producer.on_input` with counter blocks of `period` frames (frame j carries j + 1 on
/// the left, 0.5 on the right), one every `pace`, until the producer reports the timeline's end
/// (the stream then completes: inactive, as PortAudio after paComplete), `blocks` blocks were
/// delivered (then it stays active but silent, as a device that stopped calling back; or, with
/// `complete_after_blocks`, goes inactive) or stop() is called.
class FakeStream final : public StreamState {
public:
  FakeStream(CaptureProducer& producer, std::uint32_t period, std::chrono::microseconds pace,
             std::uint64_t blocks = ~0ull, bool complete_after_blocks = false)
      : producer_(producer), period_(period), pace_(pace), blocks_(blocks),
        complete_after_blocks_(complete_after_blocks) {}
  ~FakeStream() override { stop(); }
  FakeStream(const FakeStream&) = delete;
  FakeStream& operator=(const FakeStream&) = delete;

  /// Effects: starts calling back.
  void start() {
    active_.store(true);
    thread_ = std::thread([this] { run(); });
  }
  /// Effects: stops calling back and waits for the last call to return.
  void stop() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
    active_.store(false);
  }
  [[nodiscard]] bool active() const noexcept override { return active_.load(); }
  /// Returns: blocks delivered so far.
  [[nodiscard]] std::uint64_t delivered() const noexcept { return delivered_.load(); }

private:
  void run() {
    std::uint64_t position = 0;
    while (!stop_.load()) {
      if (delivered_.load() == blocks_) {
        if (complete_after_blocks_) {
          active_.store(false);
          return;
        }
        std::this_thread::sleep_for(pace_);
        continue;
      }
      const std::vector<float> block = counter_block(position, period_);
      const std::int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count();
      const bool done = producer_.on_input(block.data(), period_, 0, now);
      position += period_;
      delivered_.fetch_add(1);
      if (done) {
        active_.store(false);
        return;
      }
      std::this_thread::sleep_for(pace_);
    }
  }

  CaptureProducer& producer_;
  std::uint32_t period_;
  std::chrono::microseconds pace_;
  std::uint64_t blocks_;
  bool complete_after_blocks_;
  std::atomic<bool> active_{false};
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> delivered_{0};
  std::thread thread_;
};

} // namespace rc::test
