// engine/tap/tap_reader.hpp - the reading side of a tap: attach to a capture's shared-memory
// ring by name, copy its blocks out with exact accounting of what was missed, and tell a capture
// that finished from one that is gone.
#pragma once

#include "engine/audio/frames.hpp"
#include "engine/tap/tap_segment.hpp"

#include "ringbuf/shm_slot_ring.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace rc {

/// One block a TapReader copied.
struct TapBlock {
  std::uint64_t sequence = 0;      ///< Slot number in the capture's ring (from 0).
  std::uint64_t first_frame = 0;   ///< Timeline position of frames[0].
  ConstFrames frames;              ///< Valid until the next call to next().
  std::int64_t timestamp_ns = 0;   ///< When the capture published it (CLOCK_MONOTONIC).
  std::uint64_t missed_blocks = 0; ///< Slots missed just before this one.
  std::uint64_t missed_frames = 0; ///< Timeline frames missed just before this one.
};

/// What TapReader::next() found.
enum class TapEvent {
  block,       ///< A block was copied.
  idle,        ///< Nothing new yet; the capture is alive.
  finished,    ///< The capture finished and everything it published since attaching is read.
  writer_gone, ///< The capture died (or stopped its heartbeat) without finishing, and
               ///< everything it published is read or counted as missed; see gone_reason().
};

/// A reader of the tap NAME. One thread; any number of readers, in any processes, may read one
/// tap. It maps the object read-only: nothing a reader does reaches the capture.
class TapReader {
public:
  /// How long a heartbeat may be silent before the capture counts as gone.
  static constexpr std::chrono::milliseconds heartbeat_timeout = tap_heartbeat_timeout;

  /// Effects: attaches to the tap `name`, starting at the oldest block its ring still holds.
  /// Waits up to `ready_wait` for a ring still being formatted (a capture formatting a 2048-slot
  /// ring under ThreadSanitizer on a loaded machine took over the 1 s once allowed; the wait
  /// costs nothing once the ring is ready). Throws: std::invalid_argument for a bad name;
  /// std::runtime_error "no tap 'NAME'..." when no capture publishes it, or naming the problem
  /// (another layout, permissions).
  explicit TapReader(const std::string& name,
                     std::chrono::milliseconds ready_wait = std::chrono::milliseconds(10000));

  /// Effects: copies the next block, if any, accounting for every slot and frame skipped.
  /// When nothing is new, checks (at most every 100 ms) whether the capture finished or is gone.
  /// Non-blocking: returns `idle` rather than wait.
  TapEvent next(TapBlock& block);

  /// Returns: the tap's name.
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  /// Returns: the capture's sample rate.
  [[nodiscard]] int rate() const noexcept { return static_cast<int>(ring_->params().rate); }
  /// Returns: the channels of the capture's frames (1 to max_channels).
  [[nodiscard]] int channels() const noexcept { return static_cast<int>(ring_->params().channels); }
  /// Returns: slots in the capture's ring / frames per slot.
  [[nodiscard]] std::uint32_t slot_count() const noexcept { return ring_->params().slot_count; }
  [[nodiscard]] std::uint32_t slot_frames() const noexcept {
    return ring_->params().slot_payload_bytes / ring_->params().frame_bytes;
  }
  /// Returns: the capture's process id.
  [[nodiscard]] std::int64_t writer_pid() const noexcept { return ring_->writer_pid(); }
  /// Returns: slots the capture has published so far.
  [[nodiscard]] std::uint64_t published() const noexcept { return ring_->published(); }
  /// Returns: the sequence this reader started at (slots before it were gone or not wanted).
  [[nodiscard]] std::uint64_t start_sequence() const noexcept { return start_sequence_; }
  /// Returns: the timeline position the copy starts at: where the reader attached (the oldest
  /// block the ring held, or the capture's first), which is before the first block copied when
  /// the capture lapped the reader at once (nullopt before the first block copied).
  [[nodiscard]] std::optional<std::uint64_t> first_frame() const noexcept { return first_frame_; }
  /// Returns: blocks copied / slots missed / frames copied / timeline frames missed, so far.
  [[nodiscard]] std::uint64_t blocks() const noexcept { return blocks_; }
  [[nodiscard]] std::uint64_t missed_blocks() const noexcept { return missed_blocks_; }
  [[nodiscard]] std::uint64_t frames() const noexcept { return frames_; }
  [[nodiscard]] std::uint64_t missed_frames() const noexcept { return missed_frames_; }
  /// Returns: why the capture counts as gone (after next() returned writer_gone).
  [[nodiscard]] const std::string& gone_reason() const noexcept { return gone_reason_; }

private:
  std::optional<TapEvent> check_writer();

  std::string name_;
  ShmMapping mapping_;
  std::optional<ringbuf::ShmSlotReader> ring_;
  std::vector<float> buffer_; // one slot of frames
  std::uint64_t start_sequence_ = 0;
  std::optional<std::uint64_t> first_frame_;
  std::uint64_t next_frame_ = 0;
  std::uint64_t blocks_ = 0;
  std::uint64_t missed_blocks_ = 0;
  std::uint64_t pending_missed_ = 0;
  std::uint64_t frames_ = 0;
  std::uint64_t missed_frames_ = 0;
  std::int64_t next_check_ns_ = 0;
  std::string gone_reason_;
};

} // namespace rc
