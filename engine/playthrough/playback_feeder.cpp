// engine/playthrough/playback_feeder.cpp - see playback_feeder.hpp.
#include "engine/playthrough/playback_feeder.hpp"

#include <algorithm>

namespace rc {

PlaybackFeeder::PlaybackFeeder(ringbuf::SpscRing<StereoFrame>& ring,
                               ringbuf::SpscRing<UnderrunEvent>& events, PlaybackCounters& counters,
                               std::uint64_t prime_frames, bool grow_prime) noexcept
    : ring_(ring), events_(events), counters_(counters), prime_(prime_frames),
      grow_prime_(grow_prime) {}

void PlaybackFeeder::on_output(float* out, std::uint32_t frames, int channels,
                               std::uint32_t status_flags) noexcept {
  if (grow_prime_) {
    prime_ = std::max<std::uint64_t>(prime_, frames);
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
    ring_.commit_read(stale.size());
    gap_skip_ -= stale.size();
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
    ring_.commit_read(stale.size());
    debt_ -= stale.size();
    counters_.skipped_frames.fetch_add(stale.size(), std::memory_order_relaxed);
  }
  if (left > 0) {
    const std::uint64_t wanted = debt_ > 0 ? 0 : left; // still owed: nothing current is there
    const auto regions = ring_.read_regions(wanted);
    play(regions.first.data(), regions.first.size(), out, channels);
    out += regions.first.size() * static_cast<std::size_t>(channels);
    play(regions.second.data(), regions.second.size(), out, channels);
    out += regions.second.size() * static_cast<std::size_t>(channels);
    ring_.commit_read(regions.size());
    position_ += regions.size();
    const std::uint64_t missing = left - regions.size();
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

void PlaybackFeeder::play(const StereoFrame* from, std::size_t count, float* out,
                          int channels) noexcept {
  if (channels == 1) {
    for (std::size_t i = 0; i < count; ++i) out[i] = 0.5f * (from[i].left + from[i].right);
    return;
  }
  const auto stride = static_cast<std::size_t>(channels);
  for (std::size_t i = 0; i < count; ++i) {
    float* frame = out + i * stride;
    frame[0] = from[i].left;
    frame[1] = from[i].right;
    for (std::size_t c = 2; c < stride; ++c) frame[c] = 0.0f;
  }
}

void PlaybackFeeder::silence(std::size_t count, float* out, int channels) noexcept {
  std::fill_n(out, count * static_cast<std::size_t>(channels), 0.0f);
}

} // namespace rc
