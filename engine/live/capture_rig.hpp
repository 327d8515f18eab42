// engine/live/capture_rig.hpp - the capture path between the audio callback and a sink, owned by
// one object: the rings, the counters, the producer (callback side), the consumer and its worker.
// Capture, playthrough and latency each build one; unit tests drive one without a device.
#pragma once

#include "engine/capture/capture_consumer.hpp"
#include "engine/capture/capture_producer.hpp"
#include "engine/capture/capture_report.hpp"
#include "engine/capture/capture_worker.hpp"
#include "engine/core/live_controls.hpp"
#include "engine/core/stream_state.hpp"
#include "engine/dsp/effect_chain.hpp"

#include "ringbuf/spsc_frame_ring.hpp"
#include "ringbuf/spsc_ring.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>

namespace rc {

/// Returns: the default capture ring capacity, about two seconds.
std::size_t default_ring_frames(int rate);

/// Returns: how long a device may deliver nothing before the run calls it lost: one second, or
/// four periods when a period is longer than a quarter second (`period` 0: host's choice, unknown).
/// One second leaves room for the stop and the file's finalisation within the two seconds a user
/// waits before wondering whether the recorder noticed.
constexpr std::int64_t device_silence_limit_ns(int rate, int period) noexcept {
  const std::int64_t four_periods =
      rate > 0 ? std::int64_t{4} * period * 1'000'000'000 / rate : std::int64_t{0};
  return four_periods > 1'000'000'000 ? four_periods : 1'000'000'000;
}

/// Decides when a device that stopped calling back is lost. Silence counts only while the
/// watching thread itself ran: when its own ticks come more than `late_tick_ns` apart, the whole
/// process was stopped (SIGSTOP, a shell's Ctrl-Z) or starved, the callback thread with it, so
/// the silence window starts again on waking and a resumed run gives the device the whole limit
/// to deliver again. Without that, a capture paused for longer than the limit and resumed was
/// called lost the moment it woke, before its callback could run.
/// Thread: one (the thread watching the stream). Not real-time: the callback never touches it.
class DeviceSilenceWatch {
public:
  /// How far apart two ticks must be for the watcher to count as having been stopped: five of
  /// CaptureRig::watch()'s 100-ms ticks.
  static constexpr std::int64_t late_tick_ns = 500'000'000;

  /// Effects: starts the silence window at `start_ns` (monotonic). Precondition: limit_ns > 0.
  DeviceSilenceWatch(std::int64_t limit_ns, std::int64_t start_ns) noexcept
      : limit_ns_(limit_ns), last_tick_ns_(start_ns), last_progress_ns_(start_ns) {}

  /// One tick of the watcher at `now_ns`, seeing `callbacks` callbacks so far. Returns true when
  /// the device has been silent (no new callback) for longer than the limit, watched throughout.
  bool lost(std::int64_t now_ns, std::uint64_t callbacks) noexcept {
    const bool watcher_was_stopped = now_ns - last_tick_ns_ > late_tick_ns;
    last_tick_ns_ = now_ns;
    if (callbacks != last_callbacks_ || watcher_was_stopped) {
      last_callbacks_ = callbacks;
      last_progress_ns_ = now_ns;
      return false;
    }
    return now_ns - last_progress_ns_ > limit_ns_;
  }

private:
  std::int64_t limit_ns_;
  std::int64_t last_tick_ns_;
  std::int64_t last_progress_ns_;
  std::uint64_t last_callbacks_ = 0;
};

/// Why a live run ended.
struct StopCause {
  StopReason reason = StopReason::duration; ///< Why it ended.
  std::string error;                        ///< Empty unless reason is error.
  bool device_lost = false; ///< The device stopped delivering (the stream may not stop cleanly).
};

/// A snapshot for the live display, taken by the controlling thread.
struct CaptureStatus {
  double elapsed_seconds = 0;        ///< Audio captured so far.
  std::vector<float> peak;           ///< Linear peak per channel since the last status.
  std::uint64_t clipped_samples = 0; ///< So far.
  double ring_fill = 0;              ///< 0..1, now.
  std::uint64_t overrun_events = 0;  ///< So far.
  std::uint64_t overrun_frames = 0;  ///< So far.
  std::uint64_t host_gap_events = 0; ///< Host gaps (skipped callbacks) so far.
  std::uint64_t host_gap_frames = 0; ///< Frames the host never delivered so far.
  std::uint64_t xruns = 0;           ///< Input overflow flags from the host so far.
  bool playing = false;              ///< A playthrough: the underrun fields apply.
  std::uint64_t underrun_events = 0; ///< Playback ring underruns so far.
  std::uint64_t underrun_frames = 0; ///< Frames played as silence for them.
  bool armed_mode = false;           ///< A triggered capture: the take fields apply.
  bool recording_take = false;       ///< A take is being recorded (false: armed, waiting).
  unsigned takes = 0;                ///< Takes started so far.
};

/// Called about ten times a second on the controlling thread while recording.
using CaptureStatusCallback = std::function<void(const CaptureStatus&)>;

/// What a CaptureRig is built from.
struct RigOptions {
  int rate = 48000;        ///< The timeline's frames per second.
  int period = 0;          ///< Frames per callback asked of the host; 0: the host's choice.
  int device_channels = 2; ///< Interleaved channels each callback delivers.
  ChannelMap map = ChannelMap::pair(0, 1); ///< Device channel of each of ours (map.count: C).
  std::size_t ring_frames = 0;             ///< Frame ring capacity; 0: default_ring_frames(rate).
  std::size_t header_slots = 0; ///< Header ring slots; 0: max(256, frame ring capacity / 16).
  /// The timeline's end (--duration), frames; the callback completes the stream there.
  std::uint64_t frame_limit = std::numeric_limits<std::uint64_t>::max();
  /// How the host's clock shows a skipped callback; none: host gaps are not detected.
  std::optional<DeviceClockRule> clock_rule;
  InputUnderflow underflow = InputUnderflow::mixed; ///< What a flagged block holds.
  /// How often the worker drains the rings (poll_interval_for()).
  std::chrono::microseconds poll_interval{1000};
  std::optional<WorkerStall> stall; ///< Test-only fault: the worker sleeps once.
};

/// The capture path of one live run, from the callback's producer to `sink`. Built before the
/// stream exists (every buffer the callback touches is allocated by the constructor); its phases
/// then run in order on the controlling thread: start(), watch() while the stream runs, stop()
/// once it has stopped, report(). Unit tests may skip the worker and drive producer() and
/// consumer() by hand on one thread.
class CaptureRig {
public:
  /// Controlling thread. Effects: allocates the frame ring, the header ring and everything the
  /// producer and consumer need; `processor` (may be empty) runs
  /// on each block before it is metered and written. `sink` must outlive the rig.
  CaptureRig(const RigOptions& options, FrameSink& sink, BlockProcessor processor = {});
  CaptureRig(const CaptureRig&) = delete;

  /// Any thread. Returns: the frame ring capacity a rig built with `options` gets (the largest
  /// block a header can announce), to size what the rig's blocks pass through before it exists.
  [[nodiscard]] static std::size_t ring_capacity(const RigOptions& options);
  CaptureRig& operator=(const CaptureRig&) = delete;

  /// The callback's half: the audio thread calls on_input() (real-time safe).
  [[nodiscard]] CaptureProducer& producer() noexcept { return producer_; }
  /// The worker's half: the worker thread, or a test on one thread without start().
  [[nodiscard]] CaptureConsumer& consumer() noexcept { return consumer_; }
  /// Any thread. Returns: the callback's counters.
  [[nodiscard]] const CaptureCounters& counters() const noexcept { return counters_; }
  /// Any thread. Returns: the frame ring (its fill, its capacity).
  [[nodiscard]] const ringbuf::FrameRing& frames() const noexcept { return frames_; }
  /// Any thread. Returns: the channels of every frame on the timeline (C); constant.
  [[nodiscard]] int channels() const noexcept { return options_.map.count; }
  /// The header ring. Any thread may read its fill; only the consumer's thread pops (the
  /// consumer, or a test looking at the headers themselves).
  [[nodiscard]] ringbuf::SpscRing<BlockHeader>& headers() noexcept { return headers_; }

  /// Controlling thread, before the stream starts. Effects: starts the worker thread (SCHED_FIFO
  /// when `realtime_priority` and allowed, see CaptureWorker::start). Returns: true when the
  /// real-time priority was granted.
  bool start(bool realtime_priority = false);

  /// Controlling thread, while `stream` runs. Effects: calls `each_tick` (may be empty) about
  /// ten times a second and returns when the timeline reaches the frame limit, `controls` asks
  /// for a stop, the worker fails (with the sink's error), or the device stops delivering
  /// (stream inactive, or no callback for device_silence_limit_ns() while this thread watched,
  /// see DeviceSilenceWatch; then device_lost is set).
  StopCause watch(const StreamState& stream, LiveControls& controls,
                  const std::function<void()>& each_tick);

  /// Controlling thread, after the stream stopped (no callback runs any more). Effects: joins
  /// the worker, writes the trailing silence for drops and host gaps no header announced,
  /// finalizes `file` (null: nothing to finalize) and, unless `report` already holds an error,
  /// records the first failure there (stop reason error and the sink's or the file's error).
  void stop(FrameSink* file, CaptureReport& report);

  /// After stop() (or a test's last drain). Effects: writes the trailing silence the producer
  /// counted after its last header (what stop() does after joining). Returns: false on a write
  /// error.
  bool finish_timeline();

  /// Controlling thread, after stop(). Effects: fills the capture figures of `report` (counts,
  /// gaps, timing percentiles, levels; with `chain`, its description and clips).
  void report(CaptureReport& report, const EffectChain* chain);

  /// Controlling thread, while the stream runs. Returns: the live display's snapshot of the
  /// capture side (the playback and take fields are left for the caller).
  [[nodiscard]] CaptureStatus status();

private:
  RigOptions options_;
  ringbuf::FrameRing frames_;
  ringbuf::SpscRing<BlockHeader> headers_;
  CaptureCounters counters_;
  FrameSink& sink_;
  CaptureProducer producer_;
  CaptureConsumer consumer_;
  CaptureWorker worker_;
};

} // namespace rc
