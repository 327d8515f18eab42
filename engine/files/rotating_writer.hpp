// engine/files/rotating_writer.hpp - a recording split into files of exactly N frames each
// (`capture --split SECONDS`), named from a strftime-style pattern.
#pragma once

#include "engine/core/frame_sink.hpp"
#include "engine/files/file_set.hpp"
#include "engine/files/output_format.hpp"
#include "engine/files/split_file.hpp"

#include <atomic>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

namespace rc {

/// Returns: `pattern` for file number `index` (from 1) started at local time `when`: "%n" becomes
/// the number in three digits, then strftime expands the rest ("%Y-%m-%d_%H%M%S"; "%%" is "%").
/// When `numbered` and the pattern has no "%n", "-%n" goes before the extension, as arecord
/// numbers its split files. Throws: std::invalid_argument if the name comes out empty.
std::string expand_file_name(const std::string& pattern, unsigned index, std::time_t when,
                             bool numbered);

/// A FrameSink that writes the recording's timeline into consecutive files of `split_frames`
/// each (the last may be shorter): a block that crosses a boundary is cut there, so no frame is
/// lost or repeated across files. Worker thread only (files open and close on it, never on the
/// audio thread); construct and read the file list on the main thread before and after.
class RotatingWriter final : public FrameSink {
public:
  /// Effects: creates the first file. `split_frames` 0: one file, named by the pattern alone.
  /// `split_bytes` > 0 also caps each file's size: the frames that fit after the header (taken
  /// from the first file, since every file's header is the same) make the split length.
  /// Throws: std::runtime_error as SoundFileWriter does (exists without `overwrite`, unwritable);
  /// std::invalid_argument when `split_bytes` is set for a compressed format (FLAC, Ogg: the
  /// size of a frame is not known in advance) or is too small for one frame after the header.
  /// Every file has `channels` channels; with `split_channels` each is instead `channels` mono
  /// files, named by the pattern's %c (expand_channel()).
  RotatingWriter(std::string pattern, const OutputFormat& format, int rate, bool overwrite,
                 std::uint64_t split_frames, std::uint64_t split_bytes, int channels,
                 bool split_channels = false);

  /// Effects: appends `frames`, starting the next file at each boundary. Returns: false on a
  /// write or open error (see error()); the files so far stay finalized.
  bool write(ConstFrames frames) override;
  /// Effects: rewrites the current file's header (crash safety).
  void checkpoint() override;
  /// Returns: the last error, empty if none.
  [[nodiscard]] std::string error() const override { return error_; }
  /// Returns: frames in all files, exact for uncompressed formats (see SoundFileWriter).
  [[nodiscard]] std::optional<std::uint64_t> frames_appended() const override;
  /// Effects: finalizes the current file. Returns: false if that failed.
  bool finalize() override;

  /// Any thread (the main thread, on SIGUSR2). Effects: the next write starts a new file, unless
  /// the current one is still empty. Real-time safe (one atomic increment), never blocks.
  void request_rotation() noexcept { rotations_requested_.fetch_add(1); }

  /// Returns: every file started so far, in order. Main thread, after the worker has stopped.
  [[nodiscard]] const std::vector<SplitFile>& files() const noexcept { return files_; }

private:
  bool open_next();
  std::unique_ptr<FileSet> open_set(unsigned index, bool numbered);
  [[nodiscard]] std::vector<std::string> channel_paths() const;

  std::string pattern_;
  OutputFormat format_;
  int rate_;
  bool overwrite_;
  int channels_;
  bool split_channels_;
  std::uint64_t split_frames_;
  std::unique_ptr<FileSet> current_;
  std::vector<SplitFile> files_;
  std::uint64_t closed_frames_ = 0; ///< frames in files already finalized
  std::atomic<unsigned> rotations_requested_{0};
  unsigned rotations_done_ = 0; ///< requests already honoured (worker thread)
  std::string error_;
};

} // namespace rc
