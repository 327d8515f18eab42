// engine/files/sound_file_reader.hpp - reads any libsndfile input as interleaved float.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

struct sf_private_tag;

namespace rc {

/// An input sound file, read sequentially as interleaved float. One thread at a time.
/// How to read a headerless input (sox's format options before it).
struct RawInput {
  int rate = 0;             ///< -r: frames per second.
  int channels = 0;         ///< -c.
  int bits = 16;            ///< -b: 8, 16, 24 or 32 (float: 32 or 64).
  bool is_float = false;    ///< -e floating-point.
  bool is_unsigned = false; ///< -e unsigned-integer.
};

class SoundFileReader {
public:
  /// Effects: opens `path`. Throws: std::runtime_error naming the path and what is wrong
  /// (missing, not audio, unsupported, truncated header, zero channels).
  explicit SoundFileReader(const std::string& path);
  /// Effects: opens `path` ("-": standard input) as described by `raw` when it has a value (a
  /// headerless file: sox's -t raw -r -c -e -b), else by its header. Throws as above, and when
  /// `raw` describes no format libsndfile can read.
  SoundFileReader(const std::string& path, const std::optional<RawInput>& raw);
  ~SoundFileReader();
  SoundFileReader(const SoundFileReader&) = delete;
  SoundFileReader& operator=(const SoundFileReader&) = delete;

  /// Returns: channels per frame.
  [[nodiscard]] int channels() const noexcept { return channels_; }
  /// Returns: frames per second.
  [[nodiscard]] int rate() const noexcept { return rate_; }
  /// Returns: frames the header announces (may exceed what can be read from a truncated file).
  [[nodiscard]] std::uint64_t frames() const noexcept { return frames_; }
  /// Returns: a short description of the format, e.g. "WAV 16-bit PCM".
  [[nodiscard]] const std::string& format() const noexcept { return format_; }
  /// Returns: true if the samples are unsigned PCM (8-bit WAV).
  [[nodiscard]] bool unsigned_pcm() const noexcept { return unsigned_pcm_; }
  /// Returns: the bits of an integer PCM input (8, 16, 24, 32), 0 for float or compressed ones:
  /// the precision an output follows when its own is not given, as in sox.
  [[nodiscard]] int pcm_bits() const noexcept { return pcm_bits_; }
  /// Returns: true if the input can be read again from the start (a file, not a pipe).
  [[nodiscard]] bool seekable() const noexcept { return seekable_; }
  /// Returns: the frame the next read() gives: frames read, or sought to, since the first.
  [[nodiscard]] std::uint64_t position() const noexcept { return position_; }
  /// Returns: true if the samples are G.711 mu-law.
  [[nodiscard]] bool mu_law() const noexcept { return mu_law_; }

  /// Effects: reads up to `frames` frames into `out` (frames * channels() floats); a seekable
  /// file is asked for at most what its header announces plus `tail_frames` (libsndfile reads no
  /// further than the header says, and zero-fills the whole request beyond that: a short file
  /// read into a 32768-frame block wrote, and faulted in, 256 KiB).
  /// Returns: frames read; 0 at the end. Throws: std::runtime_error on a read error.
  std::size_t read(float* out, std::size_t frames);
  /// Effects: goes back to the first frame (for a second pass). Throws on failure.
  void rewind();
  /// Preconditions: seekable(), frame <= frames(). Effects: the next read() starts at `frame`
  /// (sox's seek for a trim that starts the chain). Returns: false if the file could not seek
  /// there, the position then unchanged.
  [[nodiscard]] bool seek(std::uint64_t frame) noexcept;

private:
  sf_private_tag* file_ = nullptr;
  std::string path_;
  int channels_ = 0;
  int rate_ = 0;
  std::uint64_t frames_ = 0;
  std::string format_;
  bool unsigned_pcm_ = false, mu_law_ = false;
  int pcm_bits_ = 0;
  bool seekable_ = true;
  std::uint64_t position_ = 0; ///< See position().
  static constexpr std::uint64_t tail_frames = 1024;
};

} // namespace rc
