// engine/files/sound_file_reader.cpp - see sound_file_reader.hpp.
#include "engine/files/sound_file_reader.hpp"

#include <sndfile.h>

#include <stdexcept>

namespace rc {

SoundFileReader::SoundFileReader(const std::string& path) : path_(path) {
  SF_INFO info{};
  file_ = sf_open(path.c_str(), SFM_READ, &info);
  if (file_ == nullptr)
    throw std::runtime_error("cannot read '" + path + "': " + sf_strerror(nullptr));
  if (info.channels < 1 || info.samplerate < 1) {
    sf_close(file_);
    file_ = nullptr;
    throw std::runtime_error("cannot read '" + path + "': no channels or no sample rate");
  }
  channels_ = info.channels;
  rate_ = info.samplerate;
  frames_ = info.frames > 0 ? static_cast<std::uint64_t>(info.frames) : 0;
  SF_FORMAT_INFO major{}, minor{};
  major.format = info.format & SF_FORMAT_TYPEMASK;
  minor.format = info.format & SF_FORMAT_SUBMASK;
  sf_command(nullptr, SFC_GET_FORMAT_INFO, &major, sizeof major);
  sf_command(nullptr, SFC_GET_FORMAT_INFO, &minor, sizeof minor);
  unsigned_pcm_ = minor.format == SF_FORMAT_PCM_U8;
  mu_law_ = minor.format == SF_FORMAT_ULAW;
  format_ = std::string(major.name ? major.name : "?") + ", " + (minor.name ? minor.name : "?");
}

SoundFileReader::~SoundFileReader() {
  if (file_ != nullptr) sf_close(file_);
}

std::size_t SoundFileReader::read(float* out, std::size_t frames) {
  const sf_count_t got = sf_readf_float(file_, out, static_cast<sf_count_t>(frames));
  if (got < 0 || (got == 0 && sf_error(file_) != SF_ERR_NO_ERROR))
    throw std::runtime_error("reading '" + path_ + "' failed: " + sf_strerror(file_));
  return static_cast<std::size_t>(got);
}

void SoundFileReader::rewind() {
  if (sf_seek(file_, 0, SEEK_SET) != 0)
    throw std::runtime_error("cannot rewind '" + path_ +
                             "' for a second pass: " + sf_strerror(file_));
}

} // namespace rc
