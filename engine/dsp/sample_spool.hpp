// engine/dsp/sample_spool.hpp - audio set aside in an unnamed temporary file, for the effects
// that need all of their input before they give any back (reverse) or give it again (repeat).
#pragma once

#include <cstdint>
#include <string>

namespace rc {

/// Frames of float samples in a temporary file that has no name (created in TMPDIR, or /tmp,
/// and unlinked at once, so it vanishes with the process however it ends). Worker thread only;
/// not real-time (file I/O), which is why only offline effects use it.
class SampleSpool {
public:
  SampleSpool() = default;
  ~SampleSpool();
  SampleSpool(const SampleSpool&) = delete;
  SampleSpool& operator=(const SampleSpool&) = delete;

  /// Effects: (re)starts the spool empty for frames of `channels` channels, creating the file
  /// on first use. Returns: false on failure (see error()).
  bool start(int channels);
  /// Effects: appends `frames` frames from `data`. Returns: false on a write error (disk full).
  bool append(const float* data, std::size_t frames);
  /// Effects: reads `frames` frames starting at frame `first` into `out`. Returns: false on a
  /// read error or when the spool holds fewer.
  bool read(std::uint64_t first, std::size_t frames, float* out);
  /// Returns: the frames appended since start().
  [[nodiscard]] std::uint64_t frames() const noexcept { return frames_; }
  /// Returns: what failed, for the run's error ("" while all went well).
  [[nodiscard]] const std::string& error() const noexcept { return error_; }

private:
  bool fail(const std::string& what);
  int fd_ = -1;
  int channels_ = 0;
  std::uint64_t frames_ = 0;
  std::string error_;
};

} // namespace rc
