// engine/latency/latency_sink.cpp - see latency_sink.hpp.
#include "engine/latency/latency_sink.hpp"

namespace rc {

LatencySink::LatencySink(FrameSink* forward) : forward_(forward) {}

bool LatencySink::write(ConstFrames frames) {
  returned_.resize(frames.frames);
  test_.resize(2 * frames.frames);
  for (std::size_t i = 0; i < frames.frames; ++i) {
    const float* frame = frames.frame(i);
    returned_[i] = frame[1];
    test_[2 * i] = test_[2 * i + 1] = frame[0];
  }
  analyzer_.add(position_, returned_);
  position_ += frames.frames;
  std::vector<RoundTripEstimate> made = analyzer_.take();
  if (!made.empty()) {
    const std::lock_guard lock(estimates_mutex_);
    estimates_.insert(estimates_.end(), made.begin(), made.end());
  }
  return forward_ == nullptr || forward_->write(ConstFrames{test_.data(), frames.frames, 2});
}

bool LatencySink::write_silence(std::uint64_t count, int channels) {
  // Dropped input: the analyzer restarts its windows after the gap rather than measure across
  // it, and the ring path keeps its timeline with silence.
  position_ += count;
  return forward_ == nullptr || forward_->write_silence(count, channels);
}

std::vector<RoundTripEstimate> LatencySink::take_estimates() {
  const std::lock_guard lock(estimates_mutex_);
  std::vector<RoundTripEstimate> out;
  out.swap(estimates_);
  return out;
}

} // namespace rc
