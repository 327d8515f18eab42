// engine/core/frame_sink.hpp - where the worker sends processed frames (a file, or a test double).
#pragma once

#include "engine/audio/stereo_frame.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace rc {

/// A destination for stereo frames on the worker thread. Never used on the audio thread.
class FrameSink {
public:
  virtual ~FrameSink() = default;
  /// Effects: appends `frames`. Returns: false on a write error (see error()).
  virtual bool write(std::span<const StereoFrame> frames) = 0;
  /// Effects: appends `count` frames of silence. Returns: false on a write error.
  virtual bool write_silence(std::uint64_t count);
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
  /// Effects: completes the output (a file's final header). Returns: false on failure (error()).
  virtual bool finalize() { return true; }
};

} // namespace rc
