// bench/ring_adapters.hpp - the four rings ring_peers_bench compares (SpscRing,
// boost::lockfree::spsc_queue, moodycamel::ReaderWriterQueue, jack_ringbuffer), each behind the
// same small interface so that the benchmark drives every ring with identical code: any
// difference in the figures comes from the ring, not from how the bench calls it.
//
// Every ring is asked for 8192 stereo frames. What each actually holds: SpscRing 8192, boost 8192,
// jack_ringbuffer 8191 (it keeps one byte free), moodycamel 16383 (it rounds size + 1 up to a
// power of two for its block).
#pragma once

#include "ringbuf/spsc_ring.hpp"

#include <boost/lockfree/spsc_queue.hpp>
#include <jack/ringbuffer.h>
#include <readerwriterqueue/readerwriterqueue.h>

#include <algorithm>
#include <cstddef>
#include <new>

namespace ring_peers {

/// One stereo sample pair, the unit every ring moves.
struct Frame {
  float l, r;
};

/// The capacity, in frames, requested from every ring.
inline constexpr std::size_t ring_capacity = 8192;

// Interface of every adapter below:
//   bool try_push_one(const Frame&)             false if full
//   bool try_pop_one(Frame&)                    false if empty
//   std::size_t push_up_to(const Frame*, n)     frames appended, 0 if full   (not moodycamel)
//   std::size_t pop_up_to(Frame*, n)            frames removed, 0 if empty   (not moodycamel)

/// ringbuf::SpscRing: try_push/try_pop, and bulk push/pop.
class OurSpscRing {
public:
  /// One frame: SpscRing::try_push.
  bool try_push_one(const Frame& f) noexcept { return ring_.try_push(f); }
  /// One frame: SpscRing::try_pop.
  bool try_pop_one(Frame& f) noexcept { return ring_.try_pop(f); }
  /// Bulk: SpscRing::push (copies from `src`).
  std::size_t push_up_to(const Frame* src, std::size_t n) noexcept { return ring_.push(src, n); }
  /// Bulk: SpscRing::pop (copies into `dst`).
  std::size_t pop_up_to(Frame* dst, std::size_t n) noexcept { return ring_.pop(dst, n); }
  /// The ring itself, for the zero-copy regions API.
  ringbuf::SpscRing<Frame>& ring() noexcept { return ring_; }

private:
  ringbuf::SpscRing<Frame> ring_{ring_capacity};
};

/// boost::lockfree::spsc_queue, sized at run time: push/pop of one element, and the bulk
/// push(const T*, n)/pop(T*, n).
class BoostSpscQueue {
public:
  /// One frame: spsc_queue::push(const T&).
  bool try_push_one(const Frame& f) noexcept { return queue_.push(f); }
  /// One frame: spsc_queue::pop(T&).
  bool try_pop_one(Frame& f) noexcept { return queue_.pop(f); }
  /// Bulk: spsc_queue::push(const T*, n).
  std::size_t push_up_to(const Frame* src, std::size_t n) noexcept { return queue_.push(src, n); }
  /// Bulk: spsc_queue::pop(T*, n).
  std::size_t pop_up_to(Frame* dst, std::size_t n) noexcept { return queue_.pop(dst, n); }

private:
  boost::lockfree::spsc_queue<Frame> queue_{ring_capacity};
};

/// moodycamel::ReaderWriterQueue: try_enqueue/try_dequeue only, never the allocating enqueue.
/// It has no bulk API, so it takes part in the one-frame mode only.
class MoodycamelQueue {
public:
  /// One frame: ReaderWriterQueue::try_enqueue (fails rather than allocate).
  bool try_push_one(const Frame& f) noexcept { return queue_.try_enqueue(f); }
  /// One frame: ReaderWriterQueue::try_dequeue.
  bool try_pop_one(Frame& f) noexcept { return queue_.try_dequeue(f); }

private:
  moodycamel::ReaderWriterQueue<Frame> queue_{ring_capacity};
};

/// jack_ringbuffer, which counts bytes: every call checks the space in whole frames first and
/// then writes or reads whole frames only, so a frame is never torn.
class JackRingbuffer {
public:
  JackRingbuffer() : ring_(jack_ringbuffer_create(ring_capacity * sizeof(Frame))) {
    if (ring_ == nullptr) throw std::bad_alloc();
  }
  ~JackRingbuffer() { jack_ringbuffer_free(ring_); }
  JackRingbuffer(const JackRingbuffer&) = delete;
  JackRingbuffer& operator=(const JackRingbuffer&) = delete;

  /// One frame: an 8-byte jack_ringbuffer_write when write_space allows it.
  bool try_push_one(const Frame& f) noexcept { return push_up_to(&f, 1) == 1; }
  /// One frame: an 8-byte jack_ringbuffer_read when read_space allows it.
  bool try_pop_one(Frame& f) noexcept { return pop_up_to(&f, 1) == 1; }

  /// Bulk: jack_ringbuffer_write of as many whole frames as fit, at most n.
  std::size_t push_up_to(const Frame* src, std::size_t n) noexcept {
    const std::size_t fit = std::min(n, jack_ringbuffer_write_space(ring_) / sizeof(Frame));
    if (fit == 0) return 0;
    jack_ringbuffer_write(ring_, reinterpret_cast<const char*>(src), fit * sizeof(Frame));
    return fit;
  }

  /// Bulk: jack_ringbuffer_read of as many whole frames as are there, at most n.
  std::size_t pop_up_to(Frame* dst, std::size_t n) noexcept {
    const std::size_t got = std::min(n, jack_ringbuffer_read_space(ring_) / sizeof(Frame));
    if (got == 0) return 0;
    jack_ringbuffer_read(ring_, reinterpret_cast<char*>(dst), got * sizeof(Frame));
    return got;
  }

private:
  jack_ringbuffer_t* ring_;
};

} // namespace ring_peers
