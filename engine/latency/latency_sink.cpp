// engine/latency/latency_sink.cpp - see latency_sink.hpp.
#include "engine/latency/latency_sink.hpp"

namespace rc {

LatencySink::LatencySink(FrameSink* forward) : forward_(forward) {}

bool LatencySink::write(std::span<const StereoFrame> frames) {
  returned_.resize(frames.size());
  test_.resize(frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    returned_[i] = frames[i].right;
    test_[i] = {frames[i].left, frames[i].left};
  }
  analyzer_.add(position_, returned_);
  position_ += frames.size();
  std::vector<RoundTripEstimate> made = analyzer_.take();
  if (!made.empty()) {
    const std::lock_guard lock(estimates_mutex_);
    estimates_.insert(estimates_.end(), made.begin(), made.end());
  }
  return forward_ == nullptr || forward_->write(test_);
}

bool LatencySink::write_silence(std::uint64_t count) {
  // Dropped input: the analyzer restarts its windows after the gap rather than measure across
  // it, and the ring path keeps its timeline with silence.
  position_ += count;
  return forward_ == nullptr || forward_->write_silence(count);
}

std::vector<RoundTripEstimate> LatencySink::take_estimates() {
  const std::lock_guard lock(estimates_mutex_);
  std::vector<RoundTripEstimate> out;
  out.swap(estimates_);
  return out;
}

} // namespace rc
