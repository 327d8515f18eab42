// engine/capture/take_recorder.hpp - triggered recording with pre-roll (capture --pre-roll,
// --trigger, --trigger-level/--hold): the worker's timeline goes through a recency ring while
// armed, and each take becomes its own file starting with the frames from before its trigger.
#pragma once

#include "engine/audio/stereo_frame.hpp"
#include "engine/capture/take.hpp"
#include "engine/files/frame_sink.hpp"
#include "engine/files/output_format.hpp"
#include "engine/files/sound_file_writer.hpp"

#include "ringbuf/overwrite_ring.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rc {

/// How takes start and end.
struct TriggerOptions {
  std::uint64_t pre_roll_frames = 0; ///< Frames from before each trigger that open its file.
  float level = 0;                   ///< Linear peak that starts a take; 0: no level trigger.
  std::uint64_t hold_frames = 0;     ///< Quiet frames that end a level-started take (> 0).
};

/// Where a manual trigger came from (the report names it).
enum class ManualTrigger { signal, enter };

/// A FrameSink for the whole capture timeline (audio and dropped-frame silence, in order) that
/// writes only the takes: while armed every frame goes into an OverwriteRing of the pre-roll
/// length; a trigger opens the take's file, writes the ring's frames from before the trigger
/// (never older than the end of the previous take, so no frame is in two files) and then the live
/// frames, until the take ends and the recorder re-arms.
///
/// Triggers: a level trigger fires at the first frame whose peak (either channel) reaches
/// `level`, and that take ends once `hold_frames` quiet frames in a row have been written (the
/// file keeps them). A manual trigger (SIGUSR1, Enter) toggles: it starts a take at the next
/// block, or ends the current one, however it started; after such an end the level trigger
/// waits for `hold_frames` of quiet, so a sound still going on does not start the next take.
///
/// Threads: construct, then read takes() after the worker stopped, on the main thread; write()
/// and the rest of the FrameSink on the worker thread (files open and close there, never on the
/// audio thread); request_toggle() and the status members from any thread.
class TakeRecorder final : public FrameSink {
public:
  /// Effects: allocates the pre-roll ring and checks that the pattern's directory is writable
  /// (files are created at each trigger, named by expand_file_name(pattern, number, trigger
  /// time, numbered); without `overwrite` a number whose file exists is skipped for the next free
  /// one, and later takes go on from there). Throws: std::runtime_error naming the directory;
  /// std::bad_alloc.
  TakeRecorder(std::string pattern, const OutputFormat& format, int rate, bool overwrite,
               const TriggerOptions& options);

  /// Worker thread. Effects: advances the timeline by `frames`, recording what belongs to takes.
  /// Returns: false when a take's file could not be created or written (see error()).
  bool write(std::span<const StereoFrame> frames) override;
  /// Worker thread. Effects: makes the current take's file crash-safe.
  void checkpoint() override;
  /// Returns: the last error, empty if none.
  [[nodiscard]] std::string error() const override { return error_; }
  /// Worker thread. Effects: ends the current take ("stop"). Returns: false if closing failed.
  bool finalize() override;

  /// Any thread (the main thread, on SIGUSR1 or Enter). Effects: the worker toggles at its next
  /// block: starts a take if armed, ends the take if recording. Never blocks (one atomic add).
  void request_toggle(ManualTrigger source) noexcept {
    toggles_requested_[static_cast<std::size_t>(source)].fetch_add(1, std::memory_order_relaxed);
  }
  /// Any thread. Returns: true while a take is being recorded (false: armed).
  [[nodiscard]] bool recording() const noexcept {
    return recording_.load(std::memory_order_relaxed);
  }
  /// Any thread. Returns: takes started so far.
  [[nodiscard]] unsigned takes_started() const noexcept {
    return takes_started_.load(std::memory_order_relaxed);
  }
  /// Main thread, after the worker stopped. Returns: every take, in order.
  [[nodiscard]] const std::vector<Take>& takes() const noexcept { return takes_; }

  // ================================================================ implementation details
private:
  bool start_take(const char* trigger);
  bool write_pre_roll(std::uint64_t from);
  /// `manual`: a toggle ended it, so the level trigger waits for `hold` of quiet (rearm_prefix).
  bool end_take(const char* reason, bool manual = false);
  bool record(std::span<const StereoFrame> frames);
  bool apply_requested_toggles();
  /// Counts `frames` down the quiet still needed before the level trigger re-arms (a loud frame
  /// restarts the count). Returns: how many frames that took, all of them if it is not done.
  std::size_t rearm_prefix(std::span<const StereoFrame> frames) noexcept;
  /// Frames of `frames` before the first one at or above the level (all of them if none).
  [[nodiscard]] std::size_t quiet_prefix(std::span<const StereoFrame> frames) const noexcept;
  [[nodiscard]] double wall_time_of(std::uint64_t frame) const noexcept;

  std::string pattern_;
  OutputFormat format_;
  int rate_;
  bool overwrite_;
  TriggerOptions options_;
  /// Every frame of the timeline, so that a frame's sequence number is its timeline position.
  ringbuf::OverwriteRing<StereoFrame> pre_roll_;
  std::vector<StereoFrame> scratch_; ///< pre-roll frames on their way to the file
  std::unique_ptr<SoundFileWriter> file_;
  std::vector<Take> takes_;
  /// Existing files a take skips at most, looking for a free number.
  static constexpr unsigned max_skipped_numbers = 10000;
  unsigned next_number_ = 1;         ///< the number the next take's name tries first (%n)
  std::uint64_t position_ = 0;       ///< timeline frames seen
  std::uint64_t armed_from_ = 0;     ///< where the pre-roll may start: the end of the last take
  bool by_level_ = false;            ///< the current take ends after `hold_frames` of quiet
  std::uint64_t quiet_run_ = 0;      ///< quiet frames in a row in the current take
  std::uint64_t quiet_to_rearm_ = 0; ///< after a manual end: quiet frames until the level re-arms
  std::uint64_t block_end_ = 0;      ///< timeline position after the block being written...
  double block_end_time_ = 0;        ///< ...and the wall clock when it arrived (Unix seconds)
  std::array<std::atomic<unsigned>, 2> toggles_requested_{};
  std::array<unsigned, 2> toggles_done_{};
  std::atomic<bool> recording_{false};
  std::atomic<unsigned> takes_started_{0};
  std::string error_;
};

} // namespace rc
