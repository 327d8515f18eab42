// engine/files/rotating_writer.cpp - see rotating_writer.hpp.
#include "engine/files/rotating_writer.hpp"

#include <algorithm>
#include <cstdio>
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

RotatingWriter::RotatingWriter(std::string pattern, const OutputFormat& format, int rate,
                               bool overwrite, std::uint64_t split_frames)
    : pattern_(std::move(pattern)), format_(format), rate_(rate), overwrite_(overwrite),
      split_frames_(split_frames) {
  files_.reserve(64);
  const std::string path = expand_file_name(pattern_, 1, std::time(nullptr), split_frames_ > 0);
  current_ = std::make_unique<SoundFileWriter>(path, format_, rate_, overwrite_);
  files_.push_back({path, 0, 0});
}

bool RotatingWriter::open_next() {
  if (!current_->close()) {
    error_ = current_->error();
    return false;
  }
  closed_frames_ += files_.back().frames;
  const std::uint64_t first = closed_frames_;
  try {
    const auto index = static_cast<unsigned>(files_.size() + 1);
    const std::string path = expand_file_name(pattern_, index, std::time(nullptr), true);
    current_ = std::make_unique<SoundFileWriter>(path, format_, rate_, overwrite_);
    files_.push_back({path, first, 0});
  } catch (const std::exception& e) {
    current_.reset();
    error_ = e.what();
    return false;
  }
  return true;
}

bool RotatingWriter::write(std::span<const StereoFrame> frames) {
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
    std::size_t n = frames.size();
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
    frames = frames.subspan(n);
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
