// engine/files/rotating_writer.cpp - see rotating_writer.hpp.
#include "engine/files/rotating_writer.hpp"

#include <sndfile.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace rc {

std::string expand_file_name(const std::string& pattern, unsigned index, std::time_t when,
                             bool numbered) {
  std::string with_index;
  bool has_index = false;
  char number[16];
  std::snprintf(number, sizeof number, "%03u", index);
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '%' && i + 1 < pattern.size()) {
      if (pattern[i + 1] == 'n') {
        with_index += number;
        has_index = true;
        ++i;
        continue;
      }
      with_index += pattern.substr(i, 2); // "%%" and strftime's own conversions pass through
      ++i;
      continue;
    }
    with_index += pattern[i];
  }
  if (numbered && !has_index) {
    // Before the extension of the last path component: take.wav -> take-001.wav.
    const std::size_t slash = with_index.find_last_of('/');
    const std::size_t dot = with_index.find_last_of('.');
    const bool has_extension =
        dot != std::string::npos && (slash == std::string::npos || dot > slash);
    with_index.insert(has_extension ? dot : with_index.size(), std::string("-") + number);
  }
  std::tm local{};
  localtime_r(&when, &local);
  std::string name(with_index.size() + 256, '\0');
  const std::size_t n = std::strftime(name.data(), name.size(), with_index.c_str(), &local);
  name.resize(n);
  if (name.empty()) throw std::invalid_argument("the file name pattern '" + pattern + "' is empty");
  return name;
}

namespace {
/// Returns: bytes per sample of an uncompressed encoding, 0 for a compressed one.
std::uint64_t sample_bytes(int sf_format) {
  const int major = sf_format & SF_FORMAT_TYPEMASK;
  if (major == SF_FORMAT_FLAC || major == SF_FORMAT_OGG) return 0;
  switch (sf_format & SF_FORMAT_SUBMASK) {
  case SF_FORMAT_PCM_S8:
  case SF_FORMAT_PCM_U8:
    return 1;
  case SF_FORMAT_PCM_16:
    return 2;
  case SF_FORMAT_PCM_24:
    return 3;
  case SF_FORMAT_PCM_32:
  case SF_FORMAT_FLOAT:
    return 4;
  case SF_FORMAT_DOUBLE:
    return 8;
  default:
    return 0;
  }
}
} // namespace

RotatingWriter::RotatingWriter(std::string pattern, const OutputFormat& format, int rate,
                               bool overwrite, std::uint64_t split_frames,
                               std::uint64_t split_bytes, int channels, bool split_channels)
    : pattern_(std::move(pattern)), format_(format), rate_(rate), overwrite_(overwrite),
      channels_(channels), split_channels_(split_channels), split_frames_(split_frames) {
  // --split-size caps each file: with split channels each is mono.
  const std::uint64_t frame_bytes =
      sample_bytes(format.sf_format) * static_cast<std::uint64_t>(split_channels ? 1 : channels);
  if (split_bytes > 0 && frame_bytes == 0)
    throw std::invalid_argument("--split-size needs an uncompressed format (" + format.description +
                                " is not); use --split with a duration");
  const bool numbered = split_frames_ > 0 || split_bytes > 0;
  current_ = open_set(1, numbered);
  const std::string path = current_->paths().front();
  files_.push_back({path, 0, 0, channel_paths()});
  if (split_bytes > 0) {
    // The header is on disk already (the writer checkpoints at once); every file gets the same.
    const std::uint64_t header = std::filesystem::file_size(path);
    const std::uint64_t fit = split_bytes > header ? (split_bytes - header) / frame_bytes : 0;
    if (fit == 0) {
      const std::vector<std::string> paths = current_->paths();
      current_.reset();
      for (const std::string& made : paths) std::filesystem::remove(made);
      throw std::invalid_argument("--split-size " + std::to_string(split_bytes) +
                                  " leaves no room for audio after the " + std::to_string(header) +
                                  "-byte header");
    }
    split_frames_ = split_frames_ > 0 ? std::min(split_frames_, fit) : fit;
  }
}

bool RotatingWriter::open_next() {
  if (!current_->close()) {
    error_ = current_->error();
    return false;
  }
  closed_frames_ += files_.back().frames;
  const std::uint64_t first = closed_frames_;
  try {
    current_ = open_set(static_cast<unsigned>(files_.size() + 1), true);
    files_.push_back({current_->paths().front(), first, 0, channel_paths()});
  } catch (const std::exception& e) {
    current_.reset();
    error_ = e.what();
    return false;
  }
  return true;
}

std::unique_ptr<FileSet> RotatingWriter::open_set(unsigned index, bool numbered) {
  const std::time_t now = std::time(nullptr);
  return std::make_unique<FileSet>(
      pattern_,
      [&](const std::string& pattern) { return expand_file_name(pattern, index, now, numbered); },
      format_, rate_, overwrite_, channels_, split_channels_);
}

std::vector<std::string> RotatingWriter::channel_paths() const {
  return split_channels_ ? current_->paths() : std::vector<std::string>();
}

bool RotatingWriter::write(ConstFrames frames) {
  while (!frames.empty()) {
    if (!current_) return false;
    // The next file starts only when a frame needs it: a take that ends on a boundary leaves
    // no empty file behind.
    if (split_frames_ > 0 && files_.back().frames == split_frames_ && !open_next()) return false;
    // A rotation asked for from outside (SIGUSR2) starts the next file here, at a frame boundary.
    if (const unsigned asked = rotations_requested_.load(); asked != rotations_done_) {
      rotations_done_ = asked;
      if (files_.back().frames > 0 && !open_next()) return false;
    }
    SplitFile& file = files_.back();
    std::size_t n = frames.frames;
    if (split_frames_ > 0)
      n = static_cast<std::size_t>(std::min<std::uint64_t>(n, split_frames_ - file.frames));
    const bool ok = current_->write(frames.first(n));
    if (const auto kept = current_->frames_appended())
      file.frames = *kept;
    else if (ok)
      file.frames += n;
    if (!ok) {
      error_ = current_->error();
      return false;
    }
    frames = frames.from(n);
  }
  return true;
}

void RotatingWriter::checkpoint() {
  if (current_) current_->checkpoint();
}

std::optional<std::uint64_t> RotatingWriter::frames_appended() const {
  if (current_ && !current_->frames_appended()) return std::nullopt;
  return closed_frames_ + (current_ ? files_.back().frames : 0);
}

bool RotatingWriter::finalize() {
  if (!current_) return error_.empty();
  const bool ok = current_->close();
  if (!ok && error_.empty()) error_ = current_->error();
  return ok;
}

} // namespace rc
