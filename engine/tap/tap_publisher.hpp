// engine/tap/tap_publisher.hpp - the capture side of `ringcorder tap`: the worker publishes what
// it writes into a POSIX shared-memory ring that other processes may read, never waiting for them.
#pragma once

#include "engine/core/block_observer.hpp"
#include "engine/tap/tap_segment.hpp"
#include "engine/util/shm_space.hpp"

#include "ringbuf/shm_slot_ring.hpp"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <sys/types.h>

namespace rc {

/// The size of a tap's ring.
struct TapGeometry {
  std::uint32_t slots = 256;        ///< Slots in the ring (at least 2).
  std::uint32_t slot_frames = 1024; ///< Frames per slot (at least 1).
};

/// Returns: why a tap of `geometry` for frames of `channels` channels cannot be made ("" when it
/// can): at least 2 slots of 1 to 1,048,576 frames, and at most 1 GiB in all (4 bytes a sample).
/// Real-time: no (builds a string).
std::string tap_geometry_problem(TapGeometry geometry, int channels);

/// Returns: the room in /dev/shm the tap `name` of this geometry and channel count needs, for
/// PortAudioSession to check before anything starts (nothing when `name` is empty: no tap).
/// Throws: std::invalid_argument for a bad geometry.
ShmNeed tap_shm_need(const std::string& name, TapGeometry geometry, int channels);

/// Publishes every block and gap the capture worker writes into the shared-memory object of a
/// tap NAME ("/ringcorder-tap-NAME", a ringbuf::ShmSlotRing of float frames). Readers
/// (TapReader, usually `ringcorder tap` in another process) can never slow the writer down: it
/// does not know they exist.
///
/// Threads: construct and destroy on the main thread, before the stream starts and after the
/// worker has stopped; on_frames() and on_silence() on the worker thread only. A heartbeat thread
/// of its own stores the time every 100 ms, so readers can tell a live capture from a dead one.
class TapPublisher final : public BlockObserver {
public:
  /// Effects: creates, sizes and maps the tap's shared-memory object (owner read/write only) and
  /// formats the ring for `rate`; a leftover object is replaced: its writer is dead, finished,
  /// silent past tap_heartbeat_timeout or this process, or it was never formatted and is older
  /// than a set-up takes. A new unformatted one is another capture setting it up: in use.
  /// Throws: std::invalid_argument for a bad name or geometry; std::runtime_error naming the tap
  /// when a live capture publishes it already, or the object cannot be created (e.g. /dev/shm
  /// full or missing).
  TapPublisher(const std::string& name, int rate, TapGeometry geometry, int channels);
  /// Effects: marks the ring finished (readers end once they have read it), stops the heartbeat,
  /// removes the object's name if it still names our object (not when another capture has
  /// replaced it since, taking ours for a finished leftover) and unmaps it (readers keep theirs).
  ~TapPublisher() override;
  TapPublisher(const TapPublisher&) = delete;
  TapPublisher& operator=(const TapPublisher&) = delete;

  /// Worker thread. Effects: publishes `frames` (timeline position `first_frame`) in as many
  /// slots as it takes. Real-time safe: wait-free, no allocation, no system call.
  /// Preconditions: frames.channels is the tap's channel count.
  void on_frames(std::uint64_t first_frame, ConstFrames frames) noexcept override;
  /// Worker thread. Effects: publishes `frames` frames of silence at `first_frame`, as on_frames.
  void on_silence(std::uint64_t first_frame, std::uint64_t frames) noexcept override;

  /// Any thread. Returns: slots published so far (the count readers' sequences run up to).
  [[nodiscard]] std::uint64_t blocks_published() const noexcept { return writer_->published(); }
  /// Returns: the tap's name (without the object prefix).
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  /// Returns: the ring's size.
  [[nodiscard]] const TapGeometry& geometry() const noexcept { return geometry_; }

private:
  void beat();
  /// Removes the object's name if it still names our object (see ~TapPublisher).
  void unlink_if_ours() const noexcept;

  std::string name_;
  std::string object_;
  TapGeometry geometry_;
  ShmMapping mapping_;
  std::optional<ringbuf::ShmSlotWriter> writer_;
  std::mutex beat_mutex_;
  std::condition_variable beat_wake_;
  bool beat_stop_ = false;
  std::thread beat_thread_;
  ino_t inode_ = 0; ///< our object's inode: its name is removed only while it names this one
};

} // namespace rc
