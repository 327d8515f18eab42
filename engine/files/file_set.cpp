// engine/files/file_set.cpp - see file_set.hpp.
#include "engine/files/file_set.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace rc {

namespace {
// Frames of one channel gathered at a time for split channels: the buffer is sized once.
constexpr std::size_t chunk_frames = 4096;
} // namespace

std::string expand_channel(const std::string& pattern, int channel, int count) {
  const int digits = static_cast<int>(std::to_string(count).size());
  char number[16];
  std::snprintf(number, sizeof number, "%0*d", digits, channel);
  std::string out;
  bool has_channel = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '%' && i + 1 < pattern.size()) {
      if (pattern[i + 1] == 'c') {
        out += number;
        has_channel = true;
      } else {
        out += pattern.substr(i, 2); // "%%", %n and strftime's conversions pass through
      }
      ++i;
      continue;
    }
    out += pattern[i];
  }
  if (!has_channel) {
    const std::size_t slash = out.find_last_of('/');
    const std::size_t dot = out.find_last_of('.');
    const bool has_extension =
        dot != std::string::npos && (slash == std::string::npos || dot > slash);
    out.insert(has_extension ? dot : out.size(), std::string("-") + number);
  }
  return out;
}

FileSet::FileSet(const std::string& pattern, const Namer& name, const OutputFormat& format,
                 int rate, bool overwrite, int channels, bool split_channels)
    : channels_(channels) {
  const int files = split_channels ? channels : 1;
  if (files > 1) channel_.resize(chunk_frames);
  try {
    for (int k = 0; k < files; ++k) {
      const std::string path =
          name(split_channels ? expand_channel(pattern, k + 1, channels) : pattern);
      files_.push_back(std::make_unique<SoundFileWriter>(path, format, rate, overwrite,
                                                         split_channels ? 1 : channels));
      paths_.push_back(path);
    }
  } catch (...) {
    // None of a set or all of it: the files made so far go.
    for (auto& file : files_) file->close();
    for (const std::string& path : paths_) std::filesystem::remove(path);
    throw;
  }
}

bool FileSet::write(ConstFrames frames) {
  if (files_.size() == 1) {
    if (files_[0]->write(frames)) return true;
    error_ = files_[0]->error();
    return false;
  }
  // A chunk at a time, every channel's file in turn: the files never drift more than a chunk
  // apart, and a failure leaves each holding whole chunks (frames_appended() tells the fewest).
  while (!frames.empty()) {
    const ConstFrames chunk = frames.first(std::min(frames.frames, chunk_frames));
    for (std::size_t k = 0; k < files_.size(); ++k) {
      for (std::size_t i = 0; i < chunk.frames; ++i) channel_[i] = chunk.frame(i)[k];
      if (!files_[k]->write(ConstFrames{channel_.data(), chunk.frames, 1})) {
        error_ = files_[k]->error();
        return false;
      }
    }
    frames = frames.from(chunk.frames);
  }
  return true;
}

void FileSet::checkpoint() {
  for (auto& file : files_) file->checkpoint();
}

bool FileSet::close() {
  bool ok = true;
  for (auto& file : files_)
    if (!file->close()) {
      ok = false;
      if (error_.empty()) error_ = file->error();
    }
  return ok;
}

std::optional<std::uint64_t> FileSet::frames_appended() const {
  std::optional<std::uint64_t> fewest;
  for (const auto& file : files_) {
    const auto n = file->frames_appended();
    if (!n) return std::nullopt;
    fewest = fewest ? std::min(*fewest, *n) : *n;
  }
  return fewest;
}

} // namespace rc
