// tests/engine/capture_rig.hpp - the capture data path without a device: the rings, counters,
// producer (as the callback drives it) and consumer (as the worker does) into a MemorySink.
#pragma once

#include "engine/capture/capture_consumer.hpp"
#include "engine/capture/capture_producer.hpp"
#include "tests/engine/memory_sink.hpp"

#include <cstdint>
#include <optional>

namespace rc::test {

/// Everything a capture run wires between the callback and the file, owned by one object.
/// Single-threaded in tests: the test calls the producer and then the consumer.
struct CaptureRig {
  ringbuf::SpscRing<StereoFrame> frames;  ///< The frame ring.
  ringbuf::SpscRing<BlockHeader> headers; ///< The header ring.
  CaptureCounters counters;               ///< What the producer counts.
  MemorySink sink;                        ///< What the consumer wrote.
  CaptureProducer producer;               ///< The callback's half.
  CaptureConsumer consumer;               ///< The worker's half.

  /// `limit`: the producer's frame limit; `clock_rule`: host gaps measured with it (none: off).
  /// `underflow`: what a block flagged paInputUnderflow holds.
  CaptureRig(std::size_t ring_frames, std::size_t header_slots, std::uint64_t limit = ~0ull,
             std::optional<DeviceClockRule> clock_rule = std::nullopt, int rate = 48000,
             InputUnderflow underflow = InputUnderflow::mixed)
      : frames(ring_frames), headers(header_slots),
        producer({frames, headers, counters}, 2, {}, limit, clock_rule, rate, underflow),
        consumer({frames, headers, counters}, sink, ring_frames) {}

  /// Effects: what finish_run does after the stream stopped. Returns: false on a write error.
  bool finish() {
    return consumer.finish(producer.unreported_gap(), producer.unreported_host_gap());
  }
};

} // namespace rc::test
