// engine/files/file_set.hpp - the files one stretch of a recording goes to: one file of all its
// channels, or with --split-channels one mono file per channel, written sample-aligned.
#pragma once

#include "engine/audio/frames.hpp"
#include "engine/files/output_format.hpp"
#include "engine/files/sound_file_writer.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rc {

/// Returns: `pattern` with each "%c" replaced by the channel number `channel` (from 1),
/// zero-padded to as many digits as `count` has (1..8: "3"; up to 32: "03"); without "%c",
/// "-%c" goes before the extension of the last path component (take.wav -> take-03.wav).
/// "%%" is left for strftime. Run before strftime, whose own %c is the date and time.
std::string expand_channel(const std::string& pattern, int channel, int count);

/// One file of `channels` channels, or `channels` mono files that together hold them (split
/// channels): each frame goes to every file at the same position, so the files stay aligned.
/// One thread at a time (the capture worker).
class FileSet {
public:
  /// Turns a name pattern (with %c already expanded for split channels) into a path.
  using Namer = std::function<std::string(const std::string& pattern)>;

  /// Effects: creates the file (or, with `split_channels`, one mono file per channel, the
  /// pattern's %c expanded for each) named by `name`. Throws: FileExists when one exists and may
  /// not be replaced, std::runtime_error otherwise, having removed the files it created.
  FileSet(const std::string& pattern, const Namer& name, const OutputFormat& format, int rate,
          bool overwrite, int channels, bool split_channels);

  /// Effects: appends `frames` (frames.channels == channels()) to the file or files; split
  /// channels are gathered a bounded chunk at a time into a buffer sized at construction (no
  /// allocation here). Returns: false on a write error (error()).
  bool write(ConstFrames frames);
  /// Effects: each file's header describes what it holds (crash safety).
  void checkpoint();
  /// Effects: finalizes and closes every file. Returns: false if one failed.
  bool close();
  /// Returns: the last error, empty if none.
  [[nodiscard]] const std::string& error() const noexcept { return error_; }
  /// Returns: frames every file holds (the shortest's count when they differ after a failed
  /// write); nullopt when a compressed file cannot tell exactly.
  [[nodiscard]] std::optional<std::uint64_t> frames_appended() const;
  /// Returns: the paths: one, or one per channel in channel order.
  [[nodiscard]] const std::vector<std::string>& paths() const noexcept { return paths_; }
  /// Returns: the channels of the recording (not of each file).
  [[nodiscard]] int channels() const noexcept { return channels_; }

private:
  int channels_;
  std::vector<std::unique_ptr<SoundFileWriter>> files_;
  std::vector<std::string> paths_;
  std::vector<float> channel_; // one channel of a chunk, for split channels: sized once
  std::string error_;
};

} // namespace rc
