// engine/playthrough/playback_sink.cpp - see playback_sink.hpp.
#include "engine/playthrough/playback_sink.hpp"

#include <algorithm>

namespace rc {

namespace {
constexpr std::size_t silence_block_frames = 4096;
}

PlaybackSink::PlaybackSink(ringbuf::FrameRing& ring, ringbuf::SpscRing<UnderrunEvent>& events,
                           FrameSink* record)
    : ring_(ring), events_(events), record_(record),
      zeros_(silence_block_frames * ring.channels()) {}

void PlaybackSink::push(ConstFrames frames) {
  const std::size_t taken = ring_.push(frames.data, frames.frames);
  overflow_frames_ += frames.frames - taken;
  pushed_ += frames.frames;
  if (timing_) timing_->on_playback_fill(pushed_, ring_.size());
  collect_underruns();
}

bool PlaybackSink::write(ConstFrames frames) {
  push(frames);
  return record_ == nullptr || record_->write(frames);
}

bool PlaybackSink::write_silence(std::uint64_t count, int channels) {
  // Dropped input stays on the timeline as silence on the way out too.
  for (std::uint64_t left = count; left > 0;) {
    const std::size_t n =
        static_cast<std::size_t>(std::min<std::uint64_t>(left, silence_block_frames));
    push(ConstFrames{zeros_.data(), n, channels});
    left -= n;
  }
  return record_ == nullptr || record_->write_silence(count, channels);
}

void PlaybackSink::checkpoint() {
  if (record_) record_->checkpoint();
}

std::string PlaybackSink::error() const { return record_ ? record_->error() : std::string(); }

std::optional<std::uint64_t> PlaybackSink::frames_appended() const {
  return record_ ? record_->frames_appended() : std::nullopt;
}

void PlaybackSink::collect_underruns() {
  UnderrunEvent event;
  while (events_.try_pop(event)) add_underrun(event);
}

void PlaybackSink::add_underrun(const UnderrunEvent& event) {
  if (underruns_.size() < StreamTiming::max_listed) underruns_.push_back(event);
  if (timing_) timing_->add_xrun(XrunKind::underrun, event.frame, event.frames);
}

} // namespace rc
