// tests/engine/capture_rig.hpp - the engine's CaptureRig writing into a MemorySink, for tests
// that drive its producer and consumer by hand on one thread (no worker, no stream).
#pragma once

#include "engine/live/capture_rig.hpp"
#include "tests/engine/memory_sink.hpp"

#include <cstdint>
#include <optional>

namespace rc::test {

/// Returns: rig options with a `ring_frames` frame ring and `header_slots` header slots, ending
/// the timeline at `limit` frames.
inline RigOptions rig_options(std::size_t ring_frames, std::size_t header_slots,
                              std::uint64_t limit = ~0ull) {
  RigOptions o;
  o.ring_frames = ring_frames;
  o.header_slots = header_slots;
  o.frame_limit = limit;
  return o;
}

/// A CaptureRig and the MemorySink it writes to, with its parts under short names. A test calls
/// the producer as the callback would, then the consumer as the worker would.
struct SinkRig {
  MemorySink sink;                         ///< What the consumer wrote.
  CaptureRig rig;                          ///< The engine's capture path.
  CaptureProducer& producer;               ///< rig.producer().
  CaptureConsumer& consumer;               ///< rig.consumer().
  const CaptureCounters& counters;         ///< rig.counters().
  ringbuf::SpscRing<BlockHeader>& headers; ///< rig.headers().

  explicit SinkRig(const RigOptions& options)
      : rig(options, sink), producer(rig.producer()), consumer(rig.consumer()),
        counters(rig.counters()), headers(rig.headers()) {}

  /// Effects: what CaptureRig::stop() does after the worker joined. Returns: false on a write
  /// error.
  bool finish() { return rig.finish_timeline(); }
};

} // namespace rc::test
