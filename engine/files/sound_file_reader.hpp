// engine/files/sound_file_reader.hpp - reads any libsndfile input as interleaved float.
#pragma once

#include <cstdint>
#include <string>

struct sf_private_tag;

namespace rc {

/// An input sound file, read sequentially as interleaved float. One thread at a time.
class SoundFileReader {
public:
  /// Effects: opens `path`. Throws: std::runtime_error naming the path and what is wrong
  /// (missing, not audio, unsupported, truncated header, zero channels).
  explicit SoundFileReader(const std::string& path);
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
  /// Returns: true if the samples are G.711 mu-law.
  [[nodiscard]] bool mu_law() const noexcept { return mu_law_; }

  /// Effects: reads up to `frames` frames into `out` (frames * channels() floats).
  /// Returns: frames read; 0 at the end. Throws: std::runtime_error on a read error.
  std::size_t read(float* out, std::size_t frames);
  /// Effects: goes back to the first frame (for a second pass). Throws on failure.
  void rewind();

private:
  sf_private_tag* file_ = nullptr;
  std::string path_;
  int channels_ = 0;
  int rate_ = 0;
  std::uint64_t frames_ = 0;
  std::string format_;
  bool unsigned_pcm_ = false, mu_law_ = false;
};

} // namespace rc
