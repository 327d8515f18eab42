// engine/files/sound_file_reader.cpp - see sound_file_reader.hpp.
#include "engine/files/sound_file_reader.hpp"

#include <sndfile.h>

#include <algorithm>
#include <stdexcept>

namespace rc {

SoundFileReader::SoundFileReader(const std::string& path) : SoundFileReader(path, std::nullopt) {}

SoundFileReader::SoundFileReader(const std::string& path, const std::optional<RawInput>& raw)
    : path_(path == "-" ? "standard input" : path) {
  SF_INFO info{};
  if (raw) {
    info.samplerate = raw->rate;
    info.channels = raw->channels;
    const int sub = raw->is_float      ? (raw->bits == 64 ? SF_FORMAT_DOUBLE : SF_FORMAT_FLOAT)
                    : raw->is_unsigned ? (raw->bits == 8 ? SF_FORMAT_PCM_U8 : 0)
                    : raw->bits == 8   ? SF_FORMAT_PCM_S8
                    : raw->bits == 16  ? SF_FORMAT_PCM_16
                    : raw->bits == 24  ? SF_FORMAT_PCM_24
                    : raw->bits == 32  ? SF_FORMAT_PCM_32
                                       : 0;
    info.format = SF_FORMAT_RAW | sub;
    if (sub == 0 || !sf_format_check(&info))
      throw std::runtime_error("cannot read '" + path_ + "' as raw " + std::to_string(raw->bits) +
                               "-bit " +
                               (raw->is_float      ? "floating point"
                                : raw->is_unsigned ? "unsigned integers"
                                                   : "signed integers") +
                               " (raw: 8, 16, 24 or 32-bit integers, 32 or 64-bit floats)");
  }
  file_ = path == "-" ? sf_open_fd(0, SFM_READ, &info, SF_FALSE)
                      : sf_open(path.c_str(), SFM_READ, &info);
  if (file_ == nullptr)
    throw std::runtime_error("cannot read '" + path_ + "': " + sf_strerror(nullptr));
  if (info.channels < 1 || info.samplerate < 1) {
    sf_close(file_);
    file_ = nullptr;
    throw std::runtime_error("cannot read '" + path_ + "': no channels or no sample rate");
  }
  channels_ = info.channels;
  rate_ = info.samplerate;
  frames_ =
      info.frames > 0 && info.frames != SF_COUNT_MAX ? static_cast<std::uint64_t>(info.frames) : 0;
  seekable_ = info.seekable != 0;
  SF_FORMAT_INFO major{}, minor{};
  major.format = info.format & SF_FORMAT_TYPEMASK;
  minor.format = info.format & SF_FORMAT_SUBMASK;
  sf_command(nullptr, SFC_GET_FORMAT_INFO, &major, sizeof major);
  sf_command(nullptr, SFC_GET_FORMAT_INFO, &minor, sizeof minor);
  unsigned_pcm_ = minor.format == SF_FORMAT_PCM_U8;
  mu_law_ = minor.format == SF_FORMAT_ULAW;
  switch (minor.format) {
  case SF_FORMAT_PCM_S8:
  case SF_FORMAT_PCM_U8:
    pcm_bits_ = 8;
    break;
  case SF_FORMAT_PCM_16:
    pcm_bits_ = 16;
    break;
  case SF_FORMAT_PCM_24:
    pcm_bits_ = 24;
    break;
  case SF_FORMAT_PCM_32:
    pcm_bits_ = 32;
    break;
  default:
    pcm_bits_ = 0;
  }
  format_ = std::string(major.name ? major.name : "?") + ", " + (minor.name ? minor.name : "?");
}

SoundFileReader::~SoundFileReader() {
  if (file_ != nullptr) sf_close(file_);
}

std::size_t SoundFileReader::read(float* out, std::size_t frames) {
  if (seekable_) {
    const std::uint64_t left = frames_ > position_ ? frames_ - position_ : 0;
    frames = static_cast<std::size_t>(std::min<std::uint64_t>(frames, left + tail_frames));
  }
  const sf_count_t got = sf_readf_float(file_, out, static_cast<sf_count_t>(frames));
  if (got < 0 || (got == 0 && sf_error(file_) != SF_ERR_NO_ERROR))
    throw std::runtime_error("reading '" + path_ + "' failed: " + sf_strerror(file_));
  position_ += static_cast<std::uint64_t>(got);
  return static_cast<std::size_t>(got);
}

void SoundFileReader::rewind() {
  if (sf_seek(file_, 0, SEEK_SET) != 0)
    throw std::runtime_error("cannot rewind '" + path_ +
                             "' for a second pass: " + sf_strerror(file_));
  position_ = 0;
}

bool SoundFileReader::seek(std::uint64_t frame) noexcept {
  if (sf_seek(file_, static_cast<sf_count_t>(frame), SEEK_SET) != static_cast<sf_count_t>(frame))
    return false;
  position_ = frame;
  return true;
}

} // namespace rc
