// engine/core/stream_state.hpp - what a live run's watcher asks of its audio stream.
#pragma once

namespace rc {

/// The one question a live run asks of its running stream (AudioStream; a fake stream in tests):
/// is it still calling back? Controlling thread.
class StreamState {
public:
  virtual ~StreamState() = default;
  /// Returns: true while callbacks are running (false once the callback asked to complete, the
  /// host stopped the stream, or it was never started).
  [[nodiscard]] virtual bool active() const noexcept = 0;
};

} // namespace rc
