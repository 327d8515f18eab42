// engine/core/frame_sink.hpp - where the worker sends processed frames (a file, or a test double).
#pragma once

#include "engine/audio/frames.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace rc {

/// A destination for frames on the worker thread, of the one channel count it was made for.
/// Never used on the audio thread.
class FrameSink {
public:
  virtual ~FrameSink() = default;
  /// Effects: appends `frames`. Returns: false on a write error (see error()).
  /// Preconditions: frames.channels is the sink's channel count.
  virtual bool write(ConstFrames frames) = 0;
  /// Effects: appends `count` frames of silence of `channels` channels (by default through
  /// write(), a bounded block at a time). Returns: false on a write error.
  /// Preconditions: channels is the sink's channel count, 1 to max_channels.
  virtual bool write_silence(std::uint64_t count, int channels);
  /// Effects: makes what was written so far recoverable after a crash (e.g. rewrites a header).
  virtual void checkpoint() {}
  /// Returns: a description of the last error, empty if none.
  [[nodiscard]] virtual std::string error() const { return {}; }
  /// Returns: every frame appended so far, when the sink can tell. A failed write may still have
  /// appended part of its block (a file that hit a size limit or a full disk keeps the prefix), so
  /// after a failure this is the true count; nullopt when the sink cannot tell exactly.
  [[nodiscard]] virtual std::optional<std::uint64_t> frames_appended() const {
    return std::nullopt;
  }
  /// Returns: whether the sink's reader went away (a pipe closed at its other end): a write then
  /// fails, but the run ends cleanly rather than in error.
  [[nodiscard]] virtual bool reader_gone() const { return false; }
  /// Effects: completes the output (a file's final header). Returns: false on failure (error()).
  virtual bool finalize() { return true; }
};

} // namespace rc
