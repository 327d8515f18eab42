// engine/live/playback_rig.hpp - the playback path between the worker and the audio callback,
// owned by one object: the playback ring, its underrun events and counters, the callback's
// feeder and the worker's sink (which may also record). Playthrough and latency each build one.
#pragma once

#include "engine/capture/stream_timing.hpp"
#include "engine/core/frame_sink.hpp"
#include "engine/playthrough/playback_feeder.hpp"
#include "engine/playthrough/playback_sink.hpp"

#include "ringbuf/spsc_ring.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rc {

/// Returns: the default playback target fill: one period, or 512 frames when the host chooses.
std::size_t default_buffer_frames(int period);

/// Returns: why a playback target fill of `buffer_frames` (0: the default) cannot work with
/// callbacks of `period` frames (0: the host's choice), or "": a fill below one period would
/// underrun on every callback. Any thread; real-time: no (builds a string).
std::string playback_buffer_problem(std::size_t buffer_frames, int period);

/// What the output side of a duplex run did.
struct PlaybackReport {
  std::string output_device;
  /// What the host claims (PortAudio's stream info, not measured); nothing when it gave none.
  std::optional<double> reported_output_latency_ms;
  std::uint64_t buffer_frames = 0; ///< Target fill: the latency the ring path adds.
  double buffer_ms = 0;
  std::uint64_t ring_capacity = 0;
  std::uint64_t frames_played = 0;
  std::uint64_t underrun_events = 0;
  std::uint64_t underrun_frames = 0; ///< Played as silence.
  std::uint64_t skipped_frames = 0;  ///< Arrived late, skipped to keep the latency.
  /// Silence played while PortAudio made up the input (the ring path's delay grew as much).
  std::uint64_t made_up_input_frames = 0;
  std::uint64_t output_underflow_flags = 0;
  std::uint64_t overflow_frames = 0; ///< Did not fit the playback ring (output stalled).
  bool worker_realtime = false;      ///< The worker got SCHED_FIFO priority.
  std::vector<UnderrunEvent> underruns;
};

/// The playback path of one duplex run. Built before the stream exists (the constructor
/// allocates everything the callback touches); the worker writes into sink(), the callback plays
/// from feeder(); after the capture rig stopped, stop() then report().
class PlaybackRig {
public:
  /// Controlling thread. Effects: a ring for `buffer` frames of target fill plus a second of
  /// room for the worker to run ahead at `rate` (its size adds no latency: the feeder plays frame
  /// p - buffer at position p). `grow_prime`: raise the fill to two of the host's periods
  /// when it chooses one (PlaybackFeeder). `record`: where the sink also writes what it plays
  /// (null: nowhere); it must outlive the rig. Frames have `channels` channels (the capture rig's).
  PlaybackRig(std::size_t buffer, int rate, bool grow_prime, FrameSink* record, int channels);
  PlaybackRig(const PlaybackRig&) = delete;
  PlaybackRig& operator=(const PlaybackRig&) = delete;

  /// The callback's half: the audio thread calls its on_output() (real-time safe).
  [[nodiscard]] PlaybackFeeder& feeder() noexcept { return feeder_; }
  /// The worker's half: the capture rig's sink.
  [[nodiscard]] PlaybackSink& sink() noexcept { return sink_; }
  /// Any thread. Returns: the counters the callback keeps.
  [[nodiscard]] const PlaybackCounters& counters() const noexcept { return counters_; }

  /// Controlling thread, before the worker starts. Effects: underruns are listed in `timing`
  /// (the capture rig's) from now on.
  void attach_timing(StreamTiming& timing) noexcept { sink_.attach_timing(timing); }

  /// Controlling thread, after the stream stopped and the capture rig's worker joined. Effects:
  /// collects the underruns the callback handed over and the one still open at the end.
  void stop();

  /// After stop(). Effects: fills the playback figures of `report` (fill, counts, underruns).
  void report(PlaybackReport& report, int rate) const;

private:
  ringbuf::FrameRing ring_;
  ringbuf::SpscRing<UnderrunEvent> events_;
  PlaybackCounters counters_;
  PlaybackFeeder feeder_;
  PlaybackSink sink_;
};

} // namespace rc
