// tests/tools/read_sound_file.hpp - a whole sound file as interleaved floats, for the checkers.
#pragma once

#include <sndfile.h>

#include <vector>

namespace rc::test {

/// Effects: reads every frame of `path` into `out` (interleaved) and its header into `info`.
/// Returns: false if it cannot be opened as a sound file.
inline bool read_sound_file(const char* path, SF_INFO& info, std::vector<float>& out) {
  SNDFILE* f = sf_open(path, SFM_READ, &info);
  if (f == nullptr) return false;
  out.resize(static_cast<std::size_t>(info.frames * info.channels));
  const sf_count_t got = sf_readf_float(f, out.data(), info.frames);
  sf_close(f);
  out.resize(static_cast<std::size_t>(got * info.channels));
  return true;
}

} // namespace rc::test
