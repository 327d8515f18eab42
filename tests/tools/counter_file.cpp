// tests/tools/counter_file.cpp - writes the counter signal (counter_signal.hpp) to a file, for
// players that cannot run our JACK source: a 32-bit float WAV that pw-play feeds into PipeWire
// (float from end to end, so every frame arrives exact and a recording can be checked frame by
// frame with counter_check).
// Usage: counter_file FRAMES RATE PATH. Exit 0 when written; 1 on a write error; 2 on usage.
#include "tests/tools/counter_signal.hpp"

#include <sndfile.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  char* end = nullptr;
  const long long frames = argc == 4 ? std::strtoll(argv[1], &end, 10) : 0;
  const int rate = argc == 4 ? std::atoi(argv[2]) : 0;
  if (argc != 4 || frames <= 0 || *end != '\0' || rate <= 0) {
    std::fprintf(stderr, "usage: counter_file FRAMES RATE PATH\n");
    return 2;
  }
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = 2;
  info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  SNDFILE* file = sf_open(argv[3], SFM_WRITE, &info);
  if (file == nullptr) {
    std::fprintf(stderr, "counter_file: cannot write '%s': %s\n", argv[3], sf_strerror(nullptr));
    return 1;
  }
  std::vector<float> block;
  for (long long n = 0; n < frames;) {
    const long long count = std::min(frames - n, 65536LL);
    block.resize(static_cast<std::size_t>(2 * count));
    for (long long i = 0; i < count; ++i) {
      block[static_cast<std::size_t>(2 * i)] =
          rc::test::counter_left(static_cast<std::uint64_t>(n + i));
      block[static_cast<std::size_t>(2 * i + 1)] = rc::test::counter_marker;
    }
    if (sf_writef_float(file, block.data(), count) != count) {
      std::fprintf(stderr, "counter_file: write error on '%s': %s\n", argv[3], sf_strerror(file));
      sf_close(file);
      return 1;
    }
    n += count;
  }
  return sf_close(file) == 0 ? 0 : 1;
}
