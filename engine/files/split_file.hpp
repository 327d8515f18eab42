// engine/files/split_file.hpp - one file of a recording split across several (capture --split).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rc {

/// One finished or current file of a split recording, as the writer made it and the report
/// lists it.
struct SplitFile {
  std::string path;          ///< As created.
  std::uint64_t first_frame; ///< Its first frame in the recording's timeline.
  std::uint64_t frames;      ///< Frames it holds.
  /// With split channels: every channel's file, in channel order (`path` is the first's).
  std::vector<std::string> channel_paths;
};

} // namespace rc
