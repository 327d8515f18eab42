// tests/tools/audio_diff.cpp - the largest absolute sample difference between two files.
// Usage: audio_diff A B. Prints {"frames": N, "channels": C, "max_abs_diff": D}. Exit 0 if the
// files have the same shape, 1 if frames/channels differ, 2 if one cannot be read.
#include "tests/tools/read_sound_file.hpp"

#include <sndfile.h>

#include <cmath>
#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 3) return std::fprintf(stderr, "usage: audio_diff A B\n"), 2;
  SF_INFO a{}, b{};
  std::vector<float> x, y;
  if (!rc::test::read_sound_file(argv[1], a, x) || !rc::test::read_sound_file(argv[2], b, y))
    return std::fprintf(stderr, "audio_diff: cannot read input: %s\n", sf_strerror(nullptr)), 2;
  double max_diff = 0;
  for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i)
    max_diff = std::max(max_diff, std::fabs(double(x[i]) - double(y[i])));
  std::printf("{\"frames\": [%lld, %lld], \"channels\": [%d, %d], \"max_abs_diff\": %.9g}\n",
              (long long)a.frames, (long long)b.frames, a.channels, b.channels, max_diff);
  return a.frames == b.frames && a.channels == b.channels ? 0 : 1;
}
