// engine/live/playback_rig.cpp - see playback_rig.hpp.
#include "engine/live/playback_rig.hpp"

namespace rc {

std::size_t default_buffer_frames(int period) {
  return period > 0 ? static_cast<std::size_t>(period) : 512;
}

std::string playback_buffer_problem(std::size_t buffer_frames, int period) {
  if (period > 0 && buffer_frames > 0 && buffer_frames < static_cast<std::size_t>(period))
    return "--buffer must be at least one period (" + std::to_string(period) +
           " frames): a smaller fill underruns on every callback";
  return {};
}

PlaybackRig::PlaybackRig(std::size_t buffer, int rate, bool grow_prime, FrameSink* record,
                         int channels)
    : ring_(static_cast<std::size_t>(channels), buffer + static_cast<std::size_t>(rate)),
      events_(1024), feeder_(ring_, events_, counters_, buffer, grow_prime),
      sink_(ring_, events_, record) {}

void PlaybackRig::stop() {
  sink_.collect_underruns();
  if (feeder_.open_underrun().frames > 0) sink_.add_underrun(feeder_.open_underrun());
}

void PlaybackRig::report(PlaybackReport& report, int rate) const {
  report.ring_capacity = ring_.capacity();
  report.buffer_frames = feeder_.prime_frames(); // raised to the host's period if it chose one
  report.buffer_ms = 1000.0 * double(report.buffer_frames) / rate;
  report.frames_played = counters_.frames_played.load();
  report.underrun_events = counters_.underrun_events.load();
  report.underrun_frames = counters_.underrun_frames.load();
  report.skipped_frames = counters_.skipped_frames.load();
  report.made_up_input_frames = counters_.made_up_input_frames.load();
  report.output_underflow_flags = counters_.output_underflow_flags.load();
  report.overflow_frames = sink_.overflow_frames();
  report.underruns = sink_.underruns();
}

} // namespace rc
