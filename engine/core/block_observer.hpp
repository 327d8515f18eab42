// engine/core/block_observer.hpp - the file's timeline as the worker writes it: gaps and the
// observers that see every block and every run of silence.
#pragma once

#include "engine/audio/frames.hpp"

#include <cstdint>

namespace rc {

/// A run of consecutive frames missing from what the device delivered to the worker, in timeline
/// positions (= file positions): dropped by us (an overrun) or never delivered (a host gap).
struct OverrunEvent {
  std::uint64_t frame = 0;  ///< Position of the first missing frame.
  std::uint64_t frames = 0; ///< How many were missing (written as silence).
};

/// Sees what the worker writes, at its position in the file's timeline: every processed block
/// and every run of gap silence (the shared-memory tap, engine/tap/tap_publisher.hpp).
class BlockObserver {
public:
  virtual ~BlockObserver() = default;
  /// Worker thread. Effects: takes note of `frames`, written at timeline position `first_frame`.
  /// Must not block or allocate.
  virtual void on_frames(std::uint64_t first_frame, ConstFrames frames) noexcept = 0;
  /// Worker thread. Effects: takes note of `frames` frames of silence written at `first_frame`.
  /// Must not block or allocate.
  virtual void on_silence(std::uint64_t first_frame, std::uint64_t frames) noexcept = 0;
};

} // namespace rc
