// engine/files/sound_file_writer.cpp - see sound_file_writer.hpp.
#include "engine/files/sound_file_writer.hpp"

#include "engine/files/pcm_sample.hpp"

#include <sndfile.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

namespace rc {

namespace {

/// Returns: whether `format` is float WAV, whose header we write ourselves.
bool is_float_wav(const OutputFormat& format) {
  const int major = format.sf_format & SF_FORMAT_TYPEMASK;
  return (format.sf_format & SF_FORMAT_SUBMASK) == SF_FORMAT_FLOAT &&
         (major == SF_FORMAT_WAV || (major == SF_FORMAT_RF64 && format.auto_rf64));
}

/// Returns: the depth of an integer PCM subtype (FLAC's too), 0 for any other.
int pcm_bits_of(int sf_format) {
  switch (sf_format & SF_FORMAT_SUBMASK) {
  case SF_FORMAT_PCM_S8:
  case SF_FORMAT_PCM_U8:
    return 8;
  case SF_FORMAT_PCM_16:
    return 16;
  case SF_FORMAT_PCM_24:
    return 24;
  case SF_FORMAT_PCM_32:
    return 32;
  default:
    return 0;
  }
}

/// Returns: why a system call failed, e.g. "File too large" (EFBIG).
std::string system_error(int error) { return std::strerror(error); }

} // namespace

SoundFileWriter::SoundFileWriter(const std::string& path, const OutputFormat& format,
                                 int sample_rate, bool overwrite, int channels,
                                 const std::string& shown_as, std::uint64_t riff_limit)
    : riff_limit_(riff_limit), path_(shown_as.empty() ? path : shown_as), channels_(channels) {
  // O_EXCL makes "never overwrite without --force" exact, even against a file that appears
  // between a check and the open.
  const int flags = O_RDWR | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL);
  const int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0) {
    if (errno == EEXIST) throw FileExists("'" + path_ + "' exists; use --force to overwrite it");
    throw std::runtime_error("cannot create '" + path_ + "': " + std::strerror(errno));
  }
  if (is_float_wav(format)) {
    fd_ = fd;
    wav_ = WavSpec{sample_rate, channels, 32, true};
    header_bytes_ = wav_header(wav_, WavTarget::file, 0, riff_limit_).size();
    if (channels < 1 || sample_rate < 1 || !write_wav_header()) {
      const std::string reason = error_.empty() ? "no channels or no rate" : error_;
      ::close(fd);
      fd_ = -1;
      ::unlink(path.c_str());
      throw std::runtime_error("cannot write '" + path_ + "' as " + format.description + ": " +
                               reason);
    }
    return;
  }
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = channels;
  info.format = format.sf_format;
  // FLAC and Ogg encoders buffer a block: after a failed write libsndfile's count may include
  // frames that never reached the file. Uncompressed formats write what they count.
  const int major = format.sf_format & SF_FORMAT_TYPEMASK;
  count_is_exact_ = major != SF_FORMAT_FLAC && major != SF_FORMAT_OGG && major != SF_FORMAT_MPEG;
  file_ = sf_open_fd(fd, SFM_WRITE, &info, /*close_desc=*/SF_TRUE);
  if (file_ == nullptr) {
    const std::string reason = sf_strerror(nullptr);
    ::close(fd);
    ::unlink(path.c_str());
    throw std::runtime_error("cannot write '" + path_ + "' as " + format.description + ": " +
                             reason);
  }
  if (format.auto_rf64) sf_command(file_, SFC_RF64_AUTO_DOWNGRADE, nullptr, SF_TRUE);
  sf_command(file_, SFC_SET_CLIPPING, nullptr, SF_TRUE);
  // Integer PCM (also FLAC's) gets sox's rounding here: libsndfile's float conversion rounds
  // down. Compressed and float formats take the floats as they are.
  pcm_bits_ = pcm_bits_of(format.sf_format);
  if (pcm_bits_ > 0)
    words_.resize(std::max<std::size_t>(8192 / std::size_t(channels), 1) * std::size_t(channels));
  checkpoint(); // a valid, empty file from the start
}

SoundFileWriter::~SoundFileWriter() { close(); }

bool SoundFileWriter::write(ConstFrames frames) {
  if (frames.channels != channels_) {
    error_ = "write to '" + path_ + "' failed: " + std::to_string(frames.channels) +
             "-channel frames for a " + std::to_string(channels_) + "-channel file";
    return false;
  }
  return write_interleaved(frames.data, frames.frames);
}

bool SoundFileWriter::write_interleaved(const float* samples, std::size_t frames) {
  if (fd_ >= 0) return write_wav(samples, frames);
  if (file_ == nullptr) return false;
  if (pcm_bits_ > 0) return write_pcm(samples, frames);
  const auto want = static_cast<sf_count_t>(frames);
  const sf_count_t done = sf_writef_float(file_, samples, want);
  frames_written_ += static_cast<std::uint64_t>(done > 0 ? done : 0);
  return done == want || library_write_failed();
}

bool SoundFileWriter::library_write_failed() {
  std::string reason = sf_strerror(file_); // e.g. "System error : File too large."
  while (!reason.empty() && (reason.back() == '.' || reason.back() == ' ')) reason.pop_back();
  error_ = "write to '" + path_ + "' failed: " + reason;
  return false;
}

bool SoundFileWriter::write_pcm(const float* samples, std::size_t frames) {
  const auto channels = static_cast<std::size_t>(channels_);
  const std::size_t chunk_frames = words_.size() / channels;
  while (frames > 0) {
    const std::size_t n = std::min(frames, chunk_frames);
    for (std::size_t i = 0; i < n * channels; ++i) words_[i] = pcm_word(samples[i], pcm_bits_);
    const auto want = static_cast<sf_count_t>(n);
    const sf_count_t done = sf_writef_int(file_, words_.data(), want);
    frames_written_ += static_cast<std::uint64_t>(done > 0 ? done : 0);
    if (done != want) return library_write_failed();
    samples += n * channels;
    frames -= n;
  }
  return true;
}

bool SoundFileWriter::write_wav(const float* samples, std::size_t frames) {
  // The samples are the file's bytes already (IEEE float, little-endian hosts): no copy.
  static_assert(std::endian::native == std::endian::little);
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(samples);
  const std::size_t size = frames * wav_.block_bytes();
  // After a write cut a frame short, what follows would be misaligned: the file ends there.
  if (data_bytes_ != frames_written_ * wav_.block_bytes()) return false;
  std::size_t done = 0;
  while (done < size) {
    // At its place after the header (which pwrite rewrites without moving the file offset).
    const ssize_t n = ::pwrite(fd_, bytes + done, size - done,
                               static_cast<off_t>(header_bytes_ + data_bytes_ + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = "write to '" + path_ + "' failed: " + (n < 0 ? system_error(errno) : "no progress");
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  data_bytes_ += done;
  frames_written_ = data_bytes_ / wav_.block_bytes();
  return done == size;
}

bool SoundFileWriter::write_wav_header() {
  // The header's size never changes (JUNK becomes ds64 in place): rewritten where it is.
  const std::vector<std::uint8_t> header =
      wav_header(wav_, WavTarget::file, frames_written_, riff_limit_);
  std::size_t done = 0;
  while (done < header.size()) {
    const ssize_t n =
        ::pwrite(fd_, header.data() + done, header.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (error_.empty())
        error_ = "writing the header of '" + path_ +
                 "' failed: " + (n < 0 ? system_error(errno) : "no progress");
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void SoundFileWriter::checkpoint() {
  if (fd_ >= 0) write_wav_header();
  if (file_ != nullptr) sf_command(file_, SFC_UPDATE_HEADER_NOW, nullptr, 0);
}

bool SoundFileWriter::close() {
  if (fd_ >= 0) {
    bool ok = write_wav_header();
    // Bytes of a frame cut short by a failed write are not left after the data chunk.
    const std::uint64_t whole = frames_written_ * wav_.block_bytes();
    if (whole != data_bytes_ && ::ftruncate(fd_, static_cast<off_t>(header_bytes_ + whole)) != 0) {
      if (error_.empty()) error_ = "closing '" + path_ + "' failed: " + system_error(errno);
      ok = false;
    }
    if (::close(fd_) != 0) {
      if (error_.empty()) error_ = "closing '" + path_ + "' failed: " + system_error(errno);
      ok = false;
    }
    fd_ = -1;
    return ok;
  }
  if (file_ == nullptr) return true;
  const int rc = sf_close(file_);
  file_ = nullptr;
  if (rc != 0 && error_.empty()) error_ = "closing '" + path_ + "' failed: " + sf_error_number(rc);
  return rc == 0;
}

} // namespace rc
