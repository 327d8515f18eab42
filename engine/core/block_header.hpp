// engine/core/block_header.hpp - what the callback tells the worker about each block of frames.
#pragma once

#include <cstdint>
#include <type_traits>

namespace rc {

/// One per audio callback (when the header ring has room), travelling in its own SpscRing next
/// to the frames, like the slot header of a shared-memory message ring.
///
/// Timeline: the block covers device frames
/// [first_frame - host_gap_before - gap_before, first_frame + frames). The first `gap_before`
/// of them were dropped by us (ring full), the next `host_gap_before` never came from the host
/// (a skipped callback); both are written as silence, in that order. The last `frames` are
/// waiting in the frame ring. (When the header ring itself was full, a host gap before the block
/// that lost its header is carried here too: the silence is the same, its reported place moves
/// after that block's dropped frames.)
struct BlockHeader {
  std::uint64_t sequence = 0;         ///< Callback number, from 0.
  std::uint64_t first_frame = 0;      ///< Device frame index of the first frame in the ring.
  std::uint64_t gap_before = 0;       ///< Frames we dropped, before the host gap.
  std::uint64_t host_gap_before = 0;  ///< Frames the host skipped, just before first_frame.
  std::int64_t callback_start_ns = 0; ///< Monotonic time the callback began.
  std::uint32_t frames = 0;           ///< Frames of this block waiting in the frame ring.
  std::uint32_t callback_ns = 0;      ///< Callback run time up to the header push.
  std::uint32_t ring_fill = 0;        ///< Frames in the frame ring just after this push.
  std::uint32_t status_flags = 0;     ///< PortAudio status flags passed to this callback.
};

static_assert(std::is_trivially_copyable_v<BlockHeader> && sizeof(BlockHeader) == 56);

} // namespace rc
