// engine/playthrough/playback_sink.hpp - the worker's end of playthrough: processed frames into
// the playback ring and, when recording, into the file too.
#pragma once

#include "engine/capture/stream_timing.hpp"
#include "engine/core/frame_sink.hpp"
#include "engine/playthrough/playback_feeder.hpp"

#include <cstdint>
#include <vector>

namespace rc {

/// A FrameSink that feeds the playback ring (and tees to an optional recording). Frames that
/// do not fit (only possible when the output stopped pulling) are counted, never blocked on.
/// Worker thread only, except where noted.
class PlaybackSink : public FrameSink {
public:
  /// `record`: the recording's sink, or null.
  PlaybackSink(ringbuf::FrameRing& ring, ringbuf::SpscRing<UnderrunEvent>& events,
               FrameSink* record);
  /// Before the worker starts. Effects: notes underruns and the playback fill over time in
  /// `timing` from now on (the consumer's, which is built after this sink).
  void attach_timing(StreamTiming& timing) noexcept { timing_ = &timing; }

  bool write(ConstFrames frames) override;
  bool write_silence(std::uint64_t count, int channels) override;
  void checkpoint() override;
  [[nodiscard]] std::string error() const override;
  /// Returns: the recording's count of frames appended (the timeline it shares with playback).
  [[nodiscard]] std::optional<std::uint64_t> frames_appended() const override;

  /// Effects: takes the underrun events the callback has reported so far.
  void collect_underruns();
  /// Returns: the underrun events collected so far.
  [[nodiscard]] const std::vector<UnderrunEvent>& underruns() const noexcept { return underruns_; }
  /// Returns: frames the playback ring had no room for.
  [[nodiscard]] std::uint64_t overflow_frames() const noexcept { return overflow_frames_; }
  /// Effects: adds an event the callback could not hand over (open at the end of the stream).
  void add_underrun(const UnderrunEvent& event);

private:
  void push(ConstFrames frames);

  ringbuf::FrameRing& ring_;
  ringbuf::SpscRing<UnderrunEvent>& events_;
  FrameSink* record_;
  StreamTiming* timing_ = nullptr;
  std::vector<UnderrunEvent> underruns_;
  std::vector<float> zeros_; // a block of silent frames of the ring's channels
  std::uint64_t pushed_ = 0; // frames offered to the ring (playback timeline minus priming)
  std::uint64_t overflow_frames_ = 0;
};

} // namespace rc
