// engine/capture/take_recorder.hpp - triggered recording with pre-roll (capture --pre-roll,
// --trigger, --trigger-level/--hold): the worker's timeline goes through a frame history, and
// each take becomes its own file starting with the frames from before its trigger, written out
// in bounded steps so that a long pre-roll never stalls the worker.
#pragma once

#include "engine/capture/frame_history.hpp"
#include "engine/capture/take.hpp"
#include "engine/core/frame_sink.hpp"
#include "engine/files/file_set.hpp"
#include "engine/files/output_format.hpp"

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
/// writes only the takes. Every frame goes into a FrameHistory of the pre-roll length (plus one
/// push step); a take spans the timeline from its pre-roll (never older than the end of the
/// previous take, so no frame is in two files) to its end, and its file is fed from the history.
/// A write() call of n frames writes at most (1 + drain_ratio) * n frames to files, so a long
/// pre-roll (600 s into FLAC) is written over many calls while the capture goes on, at
/// drain_ratio times real time however the worker slices the timeline, and the worker keeps up
/// with the capture's ring. A take that starts while the one before is still being written waits
/// its turn: files are written in timeline order, one at a time, each created when its turn
/// comes (at its trigger, unless an earlier take is still being written).
///
/// Triggers: a level trigger fires at the first frame whose peak (in any channel) reaches
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
  /// A write() call of n frames may write drain_ratio * n frames of backlog besides its own:
  /// a backlog drains at drain_ratio times real time (a 600 s pre-roll in 75 s).
  static constexpr std::uint64_t drain_ratio = 8;
  /// The history holds the pre-roll plus this many frames; write() adds frames in steps of at
  /// most this many, each after writing out what it would overwrite.
  static constexpr std::size_t push_step_frames = 8192;
  /// The memory a pre-roll may hold (its frames and one push step, 4 bytes a sample).
  static constexpr std::uint64_t max_pre_roll_bytes = std::uint64_t{512} << 20;
  /// Returns: the longest pre-roll, in frames of `channels` channels, that max_pre_roll_bytes
  /// holds. Preconditions: 1 <= channels <= max_channels.
  static constexpr std::uint64_t max_pre_roll_frames(int channels) noexcept {
    return max_pre_roll_bytes / (sizeof(float) * static_cast<std::uint64_t>(channels)) -
           push_step_frames;
  }

  /// Effects: allocates the frame history and checks that the pattern's directory is writable
  /// (files are created when a take's turn comes, named by expand_file_name(pattern, number,
  /// trigger time, numbered); without `overwrite` a number whose file exists is skipped for the
  /// next free one, and later takes go on from there). Throws: std::runtime_error naming the
  /// directory, or for a pre-roll above max_pre_roll_frames() (saying the most at this rate);
  /// std::bad_alloc. Every take has `channels` channels.
  TakeRecorder(std::string pattern, const OutputFormat& format, int rate, bool overwrite,
               const TriggerOptions& options, int channels, bool split_channels = false);

  /// Worker thread. Effects: advances the timeline by `frames`, recording what belongs to takes.
  /// Returns: false when a take's file could not be created or written (see error()).
  bool write(ConstFrames frames) override;
  /// Worker thread. Effects: makes the current take's file crash-safe.
  void checkpoint() override;
  /// Returns: the last error, empty if none.
  [[nodiscard]] std::string error() const override { return error_; }
  /// Worker thread. Effects: ends the current take ("stop") and writes out every take still
  /// being written (not bounded: the capture is over). Returns: false if writing failed.
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
  /// Main thread, after the worker stopped (or the worker thread). Returns: every take, in
  /// order; a take's `frames` counts what its file holds so far.
  [[nodiscard]] const std::vector<Take>& takes() const noexcept { return takes_; }

  // ================================================================ implementation details
private:
  void start_take(TakeTrigger trigger);
  /// `manual`: a toggle ended it, so the level trigger waits for `hold` of quiet (rearm_prefix).
  bool end_take(TakeEnd reason, bool manual = false);
  /// Adds `frames` to the timeline (the history), first writing out what they would overwrite.
  bool advance(ConstFrames frames);
  /// Writes up to `limit` frames of the takes still being written, opening and closing their
  /// files on the way. Returns: false when a file could not be created or written (error()).
  bool feed(std::uint64_t limit);
  bool open_file(Take& take);
  bool write_file(Take& take, ConstFrames frames);
  /// Timeline frames a take still has to write (the history must keep them).
  [[nodiscard]] std::uint64_t backlog() const noexcept;
  bool apply_requested_toggles();
  [[nodiscard]] bool is_loud(const float* frame) const noexcept;
  /// Counts `frames` down the quiet still needed before the level trigger re-arms (a loud frame
  /// restarts the count). Returns: how many frames that took, all of them if it is not done.
  std::size_t rearm_prefix(ConstFrames frames) noexcept;
  /// Frames of `frames` before the first one at or above the level (all of them if none).
  [[nodiscard]] std::size_t quiet_prefix(ConstFrames frames) const noexcept;
  [[nodiscard]] double wall_time_of(std::uint64_t frame) const noexcept;

  std::string pattern_;
  OutputFormat format_;
  int rate_;
  bool overwrite_;
  bool split_channels_; ///< a mono file per channel for each take
  TriggerOptions options_;
  /// The last frames of the timeline: pre-roll for the next take, and what takes still write.
  FrameHistory history_;
  std::unique_ptr<FileSet> file_; ///< the file(s) of takes_[writing_], once opened
  std::vector<Take> takes_;
  std::vector<std::uint64_t> ends_; ///< each ended take's end (timeline position after it)
  std::size_t writing_ = 0;         ///< the first take whose file is not complete
  std::uint64_t written_to_ = 0;    ///< timeline position its file has been written up to
  std::uint64_t budget_ = 0;        ///< frames this write() call may still write to files
  bool in_take_ = false;            ///< the timeline is inside a take (it has not ended)
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
