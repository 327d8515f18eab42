// engine/files/stream_writer.hpp - a recording streamed to a pipe (`capture -`): WAV with the
// sizes arecord writes to a pipe, or raw samples, and a reader that goes away ends the run.
#pragma once

#include "engine/core/frame_sink.hpp"
#include "engine/files/output_format.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rc {

/// Writes frames to a file descriptor that may be a pipe (standard output), which libsndfile
/// cannot write WAV to: the header is ours. WAV gets one header up front whose sizes are exact
/// when the length is known (a --duration) and otherwise the largest a reader takes (as arecord
/// writes to a pipe, 0x7FFFFFFF): wav_header() with WavTarget::stream. Raw is the samples alone.
/// Integer samples are clipped to their range, never wrapped, converted a bounded chunk at a
/// time into a buffer sized once at construction (a write never allocates).
///
/// A reader that closes its end (EPIPE; SIGPIPE must be ignored) is not an error: write() then
/// fails with reader_gone() true, and the run ends cleanly. Worker thread only.
class StreamWriter final : public FrameSink {
public:
  /// Effects: prepares the header (WAV) for `fd`, which it does not own; the header goes out
  /// with the first samples, in one system call (sox detects a pipe's format from its first
  /// read), or alone from finalize(). `format` must be WAV or raw (stream_format_problem());
  /// `frames`: the stream's length when known. Throws: std::invalid_argument for another format.
  StreamWriter(int fd, const OutputFormat& format, int rate, int channels,
               std::optional<std::uint64_t> frames);

  /// Effects: appends `frames`, converted to the format's samples. Returns: false on a write
  /// error or when the reader has gone (reader_gone()).
  bool write(ConstFrames frames) override;
  [[nodiscard]] std::string error() const override { return error_; }
  [[nodiscard]] bool reader_gone() const override { return reader_gone_; }
  /// Effects: sends the header if no samples took it along (an empty stream is still a WAV).
  /// Returns: false on a write error (a reader already gone is no error).
  bool finalize() override;
  /// Returns: frames handed to the descriptor whole.
  [[nodiscard]] std::optional<std::uint64_t> frames_appended() const override {
    return frames_written_;
  }

private:
  bool write_bytes(const std::uint8_t* data, std::size_t size);

  int fd_;
  int channels_;
  int bits_; // 16, 24 or 32; 32 with is_float_ for float
  bool is_float_;
  std::vector<std::uint8_t> bytes_;  // integer conversion: chunk_frames frames, sized once
  std::vector<std::uint8_t> header_; // WAV: the header until the first samples go with it
  std::uint64_t frames_written_ = 0;
  bool reader_gone_ = false;
  std::string error_;
};

/// Returns: why `format` cannot be streamed to a pipe ("" when it can: WAV or raw).
std::string stream_format_problem(const OutputFormat& format);

} // namespace rc
