// engine/core/capture_counters.hpp - what the audio callback counts, for other threads to read.
#pragma once

#include "ringbuf/spsc_ring.hpp"

#include <atomic>
#include <cstdint>

namespace rc {

/// Counters written by the audio callback (relaxed stores, single writer) and read by any
/// thread for the live display and the report. Each counter is exact once the stream has
/// stopped; while it runs a reader sees a recent value.
struct alignas(ringbuf::cache_line_size) CaptureCounters {
  std::atomic<std::uint64_t> callbacks{0};             ///< Callbacks with input.
  std::atomic<std::uint64_t> frames_captured{0};       ///< The timeline: delivered + host gaps.
  std::atomic<std::uint64_t> overrun_events{0};        ///< Runs of consecutive dropped frames.
  std::atomic<std::uint64_t> overrun_frames{0};        ///< Frames dropped because a ring was full.
  std::atomic<std::uint64_t> host_gap_events{0};       ///< Skips found on the device's clock.
  std::atomic<std::uint64_t> host_gap_frames{0};       ///< Frames the host never delivered.
  std::atomic<std::uint64_t> clock_steps{0};           ///< Clock jumps too large to be gaps.
  std::atomic<std::uint64_t> uncertain_gap_events{0};  ///< Leads too short to call gaps, kept.
  std::atomic<std::uint64_t> uncertain_gap_frames{0};  ///< Their frames (not filled).
  std::atomic<std::uint64_t> pending_host_gap{0};      ///< Host-gap frames not yet in a header.
  std::atomic<std::uint64_t> input_overflow_flags{0};  ///< Callbacks flagged paInputOverflow.
  std::atomic<std::uint64_t> input_underflow_flags{0}; ///< Callbacks flagged paInputUnderflow.
  std::atomic<std::uint64_t> host_inserted_frames{0};  ///< Zeros the host made up, left out.
  std::atomic<std::uint64_t> ring_fill_max{0};         ///< Highest frame-ring fill seen.
  std::atomic<std::uint64_t> callback_ns_max{0};       ///< Longest callback, nanoseconds.
  std::atomic<std::uint64_t> pending_gap{0};           ///< Dropped frames not yet in a header.
};

} // namespace rc
