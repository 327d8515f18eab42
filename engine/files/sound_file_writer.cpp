// engine/files/sound_file_writer.cpp - see sound_file_writer.hpp.
#include "engine/files/sound_file_writer.hpp"

#include <sndfile.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

namespace rc {

SoundFileWriter::SoundFileWriter(const std::string& path, const OutputFormat& format,
                                 int sample_rate, bool overwrite, int channels,
                                 const std::string& shown_as)
    : path_(shown_as.empty() ? path : shown_as), channels_(channels) {
  // O_EXCL makes "never overwrite without --force" exact, even against a file that appears
  // between a check and the open.
  const int flags = O_RDWR | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL);
  const int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0) {
    if (errno == EEXIST) throw FileExists("'" + path_ + "' exists; use --force to overwrite it");
    throw std::runtime_error("cannot create '" + path_ + "': " + std::strerror(errno));
  }
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = channels;
  info.format = format.sf_format;
  // FLAC and Ogg encoders buffer a block: after a failed write libsndfile's count may include
  // frames that never reached the file. Uncompressed formats write what they count.
  const int major = format.sf_format & SF_FORMAT_TYPEMASK;
  count_is_exact_ = major != SF_FORMAT_FLAC && major != SF_FORMAT_OGG;
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
  if (file_ == nullptr) return false;
  const auto want = static_cast<sf_count_t>(frames);
  const sf_count_t done = sf_writef_float(file_, samples, want);
  frames_written_ += static_cast<std::uint64_t>(done > 0 ? done : 0);
  if (done != want) {
    std::string reason = sf_strerror(file_); // e.g. "System error : File too large."
    while (!reason.empty() && (reason.back() == '.' || reason.back() == ' ')) reason.pop_back();
    error_ = "write to '" + path_ + "' failed: " + reason;
    return false;
  }
  return true;
}

void SoundFileWriter::checkpoint() {
  if (file_ != nullptr) sf_command(file_, SFC_UPDATE_HEADER_NOW, nullptr, 0);
}

bool SoundFileWriter::close() {
  if (file_ == nullptr) return true;
  const int rc = sf_close(file_);
  file_ = nullptr;
  if (rc != 0 && error_.empty()) error_ = "closing '" + path_ + "' failed: " + sf_error_number(rc);
  return rc == 0;
}

} // namespace rc
