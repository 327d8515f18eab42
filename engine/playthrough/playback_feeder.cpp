// engine/playthrough/playback_feeder.cpp - see playback_feeder.hpp.
#include "engine/playthrough/playback_feeder.hpp"

#include <algorithm>

namespace rc {

PlaybackFeeder::PlaybackFeeder(ringbuf::FrameRing& ring, ringbuf::SpscRing<UnderrunEvent>& events,
                               PlaybackCounters& counters, std::uint64_t prime_frames,
                               bool grow_prime) noexcept
    : ring_(ring), events_(events), counters_(counters), prime_(prime_frames),
      grow_prime_(grow_prime) {}

void PlaybackFeeder::on_output(float* out, std::uint32_t frames, int channels,
                               std::uint32_t status_flags) noexcept {
  if (grow_prime_) {
    prime_ = std::max<std::uint64_t>(prime_, std::uint64_t{2} * frames);
    grow_prime_ = false;
  }
  std::uint64_t left = frames;
  // Priming: the first prime_ output frames have no ring frame to play.
  if (position_ < prime_) {
    const std::uint64_t n = std::min(left, prime_ - position_);
    silence(n, out, channels);
    out += n * static_cast<std::size_t>(channels);
    left -= n;
    position_ += n;
  }
  // A host gap: the frames due while the host skipped us are never played. Those not here yet
  // are the gap's silence, still on its way from the worker: silence now, skipped later.
  if (gap_skip_ > 0 && left > 0) {
    const auto stale = ring_.read_regions(gap_skip_);
    ring_.commit_read(stale.frames());
    gap_skip_ -= stale.frames();
    if (gap_skip_ > 0) {
      silence(left, out, channels);
      gap_skip_ += left;
      position_ += left;
      left = 0;
    }
  }
  // Re-priming: frames that were played as silence are skipped as they arrive.
  if (debt_ > 0 && left > 0) {
    const auto stale = ring_.read_regions(debt_);
    ring_.commit_read(stale.frames());
    debt_ -= stale.frames();
    counters_.skipped_frames.fetch_add(stale.frames(), std::memory_order_relaxed);
  }
  if (left > 0) {
    const std::uint64_t wanted = debt_ > 0 ? 0 : left; // still owed: nothing current is there
    const auto regions = ring_.read_regions(wanted);
    play(regions.first, out, channels);
    out += regions.first.frames * static_cast<std::size_t>(channels);
    play(regions.second, out, channels);
    out += regions.second.frames * static_cast<std::size_t>(channels);
    ring_.commit_read(regions.frames());
    position_ += regions.frames();
    const std::uint64_t missing = left - regions.frames();
    if (missing > 0) {
      silence(missing, out, channels);
      underrun(missing);
      position_ += missing;
    } else if (open_event_.frames > 0) {
      // The run of silence ended: hand it to the worker.
      if (!events_.try_push(open_event_))
        counters_.lost_event_records.fetch_add(1, std::memory_order_relaxed);
      open_event_ = {};
    }
  }
  counters_.frames_played.store(position_, std::memory_order_relaxed);
  if ((status_flags & 0x4u) != 0) // paOutputUnderflow; numeric so this file needs no PortAudio
    counters_.output_underflow_flags.fetch_add(1, std::memory_order_relaxed);
}

void PlaybackFeeder::underrun(std::uint64_t missing) noexcept {
  if (open_event_.frames == 0) {
    open_event_.frame = position_;
    counters_.underrun_events.fetch_add(1, std::memory_order_relaxed);
  }
  open_event_.frames += missing;
  counters_.underrun_frames.fetch_add(missing, std::memory_order_relaxed);
  debt_ += missing;
}

void PlaybackFeeder::play(ringbuf::FrameRun<const float> from, float* out, int channels) noexcept {
  const std::size_t ours = ring_.channels();
  const auto outs = static_cast<std::size_t>(channels);
  const float* in = from.samples.data();
  if (outs == ours) {
    std::copy_n(in, from.samples.size(), out);
    return;
  }
  if (outs == 1) { // a mono output: the mean of our channels
    const float scale = 1.0f / static_cast<float>(ours);
    for (std::size_t i = 0; i < from.frames; ++i) {
      float sum = 0.0f;
      for (std::size_t c = 0; c < ours; ++c) sum += in[i * ours + c];
      out[i] = scale * sum;
    }
    return;
  }
  for (std::size_t i = 0; i < from.frames; ++i) {
    const float* frame_in = in + i * ours;
    float* frame = out + i * outs;
    for (std::size_t c = 0; c < outs; ++c)
      frame[c] = ours == 1 ? (c < 2 ? frame_in[0] : 0.0f) : (c < ours ? frame_in[c] : 0.0f);
  }
}

void PlaybackFeeder::silence(std::size_t count, float* out, int channels) noexcept {
  std::fill_n(out, count * static_cast<std::size_t>(channels), 0.0f);
}

} // namespace rc
