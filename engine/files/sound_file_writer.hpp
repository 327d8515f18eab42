// engine/files/sound_file_writer.hpp - a libsndfile output that survives a crash.
#pragma once

#include "engine/core/frame_sink.hpp"
#include "engine/files/output_format.hpp"
#include "engine/files/wav_header.hpp"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

struct sf_private_tag;

namespace rc {

/// Thrown by SoundFileWriter when the file exists and may not be replaced: a caller that can pick
/// another name (a take's next number) tells this from other failures by its type.
class FileExists : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Writes interleaved float frames of the file's channel count to a new sound file through
/// libsndfile, except float WAV, whose header is ours (wav_header(), WavTarget::file): the one
/// libsndfile writes makes sox warn ("wave header missing extended part of fmt chunk"). Such a
/// file is RIFF/WAVE while it fits in 4 GiB and becomes RF64 beyond, as libsndfile's WAV does.
/// One thread at a time.
///
/// Crash safety: checkpoint() rewrites the header so that the file, as it is on disk, describes
/// every frame written so far (WAV/RF64/W64/AIFF/CAF); call it about once a second. FLAC and Ogg
/// cannot be repaired this way. Float samples beyond [-1, 1] are clipped, not wrapped, when the
/// encoding is integer.
class SoundFileWriter final : public FrameSink {
public:
  /// Effects: creates `path` (refusing to replace an existing file unless `overwrite`) and
  /// writes its header. Every message names the file as `shown_as` (default: `path`), e.g. the
  /// output a hidden temporary will become. `riff_limit`: the RIFF size past which a float WAV
  /// file becomes RF64 (riff_size_limit; tests pass less to get there without 4 GiB).
  /// Throws: FileExists when it exists and may not be replaced; std::runtime_error naming it
  /// and the reason for any other failure.
  SoundFileWriter(const std::string& path, const OutputFormat& format, int sample_rate,
                  bool overwrite, int channels, const std::string& shown_as = {},
                  std::uint64_t riff_limit = riff_size_limit);
  ~SoundFileWriter() override;
  SoundFileWriter(const SoundFileWriter&) = delete;
  SoundFileWriter& operator=(const SoundFileWriter&) = delete;

  /// Effects: appends `frames`. Returns: false on a write error (see error()), or when
  /// frames.channels is not the file's channel count.
  bool write(ConstFrames frames) override;
  /// Effects: appends `frames` interleaved frames of the file's channel count.
  /// Returns: false on a write error (see error()).
  bool write_interleaved(const float* samples, std::size_t frames);
  void checkpoint() override;
  [[nodiscard]] std::string error() const override { return error_; }
  /// Returns: frames in the file for uncompressed formats; nullopt for FLAC and Ogg, whose
  /// encoders buffer (libsndfile's count may run ahead of the file after a failed write).
  [[nodiscard]] std::optional<std::uint64_t> frames_appended() const override {
    return count_is_exact_ ? std::optional<std::uint64_t>(frames_written_) : std::nullopt;
  }

  /// Effects: finalizes the header and closes the file. Returns: false if that failed.
  bool close();
  /// Effects: close().
  bool finalize() override { return close(); }
  /// Returns: the file's channels.
  [[nodiscard]] int channels() const noexcept { return channels_; }
  /// Returns: frames written so far.
  [[nodiscard]] std::uint64_t frames_written() const noexcept { return frames_written_; }

private:
  bool write_wav(const float* samples, std::size_t frames);
  bool write_wav_header();
  /// Effects: converts `frames` frames to integer PCM (pcm_word) chunk by chunk in words_ and
  /// hands them to libsndfile. Returns: false on a write error.
  bool write_pcm(const float* samples, std::size_t frames);
  /// Effects: error_ says why libsndfile's last write failed. Returns: false.
  bool library_write_failed();

  sf_private_tag* file_ = nullptr; ///< libsndfile's file, null for our own WAV
  int fd_ = -1;                    ///< our own WAV's descriptor, -1 for libsndfile's file
  WavSpec wav_;                    ///< our own WAV's samples
  std::uint64_t riff_limit_ = riff_size_limit;
  std::uint64_t header_bytes_ = 0; ///< our own WAV's header, the same size all its life
  std::uint64_t data_bytes_ = 0;   ///< bytes of samples in our own WAV (whole frames but after a
                                   ///< failed write)
  std::string path_;
  std::string error_;
  int channels_;
  std::uint64_t frames_written_ = 0;
  bool count_is_exact_ = true; ///< frames_written_ is what the file holds, even after a failure
  int pcm_bits_ = 0;           ///< integer PCM of this depth, converted here (0: libsndfile's)
  std::vector<int> words_;     ///< pcm_word() of a chunk of whole frames, sized once
};

} // namespace rc
