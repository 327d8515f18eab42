// engine/latency/latency_sink.hpp - the worker's end of a latency run: the returned signal into
// the analyzer and, on the ring path, the test signal on to the playback ring.
#pragma once

#include "engine/core/frame_sink.hpp"
#include "engine/latency/multitone.hpp"

#include <cstdint>
#include <mutex>
#include <vector>

namespace rc {

/// Receives the capture ring's frames in timeline order: `left` is the test signal as the
/// callback generated it, `right` the input channel the loopback returns on. Worker thread,
/// except take_estimates().
class LatencySink : public FrameSink {
public:
  /// `forward`: on the ring path, where the test signal goes next (the playback sink); null on
  /// the direct path (the callback already played it).
  explicit LatencySink(FrameSink* forward);

  /// Effects: analyses channel 1 (what returned), forwards channel 0 (the test signal) on both
  /// of two channels. Preconditions: frames.channels == 2.
  bool write(ConstFrames frames) override;
  bool write_silence(std::uint64_t count, int channels) override;
  void checkpoint() override {}

  /// Any thread. Effects: moves out the estimates made so far.
  std::vector<RoundTripEstimate> take_estimates();

private:
  RoundTripAnalyzer analyzer_;
  FrameSink* forward_;
  std::uint64_t position_ = 0;
  std::vector<float> returned_;
  std::vector<float> test_;    // two channels
  std::mutex estimates_mutex_; // worker and controlling thread only, never the audio thread
  std::vector<RoundTripEstimate> estimates_;
};

} // namespace rc
