// engine/playthrough/playback_feeder.hpp - the audio-thread half of playback: the playback ring
// into the device's output buffer, primed to a target fill, silence for exactly what is missing.
#pragma once

#include "engine/audio/frames.hpp"
#include "ringbuf/spsc_frame_ring.hpp"
#include "ringbuf/spsc_ring.hpp"

#include <atomic>
#include <cstdint>

namespace rc {

/// A run of output frames played as silence because the playback ring ran short.
struct UnderrunEvent {
  std::uint64_t frame = 0;  ///< Output timeline position of the first silent frame.
  std::uint64_t frames = 0; ///< How many frames were silent.
};

/// Counters written by the audio callback (single writer, relaxed) and read by any thread.
struct alignas(ringbuf::cache_line_size) PlaybackCounters {
  std::atomic<std::uint64_t> frames_played{0};          ///< Output timeline length so far.
  std::atomic<std::uint64_t> underrun_events{0};        ///< Runs of frames the ring lacked.
  std::atomic<std::uint64_t> underrun_frames{0};        ///< Frames played as silence for them.
  std::atomic<std::uint64_t> skipped_frames{0};         ///< Late frames skipped to re-prime.
  std::atomic<std::uint64_t> output_underflow_flags{0}; ///< Callbacks flagged paOutputUnderflow.
  std::atomic<std::uint64_t> lost_event_records{0}; ///< Underruns the event ring had no room for.
  /// Silence played while PortAudio made up the input (on_made_up_input): not on the timeline.
  std::atomic<std::uint64_t> made_up_input_frames{0};
};

/// Plays the playback ring so that output position p always carries ring frame p - prime:
/// the first `prime` frames are silence (priming), and a frame that is not there in time is
/// played as silence, counted as an underrun, and skipped when it arrives late. The ring path
/// thus adds exactly `prime` frames of latency, before and after any underrun (re-priming
/// restores the target fill instead of letting the delay grow).
///
/// Owned by the session; every member runs on the audio thread unless noted.
class PlaybackFeeder {
public:
  /// Any thread, before the stream starts. `events`: where underruns are reported to the
  /// worker (when it is full, the counters stay exact and lost_event_records counts).
  /// `grow_prime`: the prime was not chosen by the user and the host picks the callback size:
  /// a first callback longer than half of `prime_frames` raises the prime to two of its length.
  /// The frames a callback plays were captured by the ones before it, so one callback's worth
  /// leaves the worker no slack: a worker woken late, or two callbacks run back to back after
  /// a late wake of the audio thread (PortAudio's ALSA host catching up), underruns (seen
  /// through PipeWire with 2048-frame callbacks). Two are the double buffering a default
  /// owes; the JACK default (512 at 256-frame periods) is the same rule.
  PlaybackFeeder(ringbuf::FrameRing& ring, ringbuf::SpscRing<UnderrunEvent>& events,
                 PlaybackCounters& counters, std::uint64_t prime_frames,
                 bool grow_prime = false) noexcept;

  /// Audio thread. Effects: writes `frames` interleaved frames of `channels` channels to `out`
  /// (ring channel k on output channel k, silence on outputs the ring has no channel for; a
  /// mono ring on the first two outputs; a mono output gets the mean of the ring's channels),
  /// consuming the ring as described above and updating the counters.
  /// Preconditions: out has frames * channels floats; channels >= 1.
  /// Real-time safe: no allocation, lock, I/O or blocking call; bounded by `frames`.
  void on_output(float* out, std::uint32_t frames, int channels,
                 std::uint32_t status_flags) noexcept;

  /// Audio thread, instead of on_output when the callback's input was made up by PortAudio
  /// (InputUnderflow::made_up: no device frames, left out of the capture timeline). Effects:
  /// writes silence and keeps the output position where it is, so that position p still plays
  /// ring frame p - prime: the output ran on while the input stood still, and the ring path's
  /// delay grows by `frames` (played as silence, counted in made_up_input_frames, never an
  /// underrun). Real-time safe: bounded by `frames`.
  void on_made_up_input(float* out, std::uint32_t frames, int channels,
                        std::uint32_t status_flags) noexcept {
    silence(frames, out, channels);
    counters_.made_up_input_frames.fetch_add(frames, std::memory_order_relaxed);
    if ((status_flags & 0x4u) != 0) // paOutputUnderflow, as on_output counts it
      counters_.output_underflow_flags.fetch_add(1, std::memory_order_relaxed);
  }

  /// Audio thread, before on_output. Effects: the host skipped `frames` of the output timeline
  /// (a host gap, found on the input side): the output position moves on by as much, and the
  /// ring frames due meanwhile (those past the priming) are skipped as they arrive, so the ring
  /// path's latency stays `prime` frames. While they have not all arrived, the frames due are
  /// the gap's own silence (the worker writes it): played as silence, skipped when they come,
  /// never counted as an underrun.
  void skip_host_gap(std::uint64_t frames) noexcept {
    const std::uint64_t due_before = position_ > prime_ ? position_ - prime_ : 0;
    position_ += frames;
    const std::uint64_t due_after = position_ > prime_ ? position_ - prime_ : 0;
    gap_skip_ += due_after - due_before;
  }

  /// Any thread, after the stream stopped. Returns: the underrun still running when it
  /// stopped (frames == 0 if none); it was never handed to the worker.
  [[nodiscard]] UnderrunEvent open_underrun() const noexcept { return open_event_; }
  /// Any thread, after the stream stopped (or before it starts). Returns: the target fill
  /// (frames of latency the ring path adds).
  [[nodiscard]] std::uint64_t prime_frames() const noexcept { return prime_; }

private:
  void play(ringbuf::FrameRun<const float> from, float* out, int channels) noexcept;
  void silence(std::size_t count, float* out, int channels) noexcept;
  void underrun(std::uint64_t missing) noexcept;

  ringbuf::FrameRing& ring_;
  ringbuf::SpscRing<UnderrunEvent>& events_;
  PlaybackCounters& counters_;
  std::uint64_t prime_;
  bool grow_prime_; // until the first callback: see the constructor
  // Audio-thread state.
  std::uint64_t position_ = 0; // output timeline position of the next frame
  std::uint64_t debt_ = 0;     // late frames still to skip when they arrive
  std::uint64_t gap_skip_ = 0; // frames due during a host gap, still to skip
  UnderrunEvent open_event_{}; // the underrun run being extended, if frames > 0
};

} // namespace rc
