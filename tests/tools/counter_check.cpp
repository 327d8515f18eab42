// tests/tools/counter_check.cpp - checks a recording of the counter signal; prints JSON.
// Usage: counter_check [--resync] FILE. Exit 0: no errors (and, without --resync, no jumps);
// 1: errors; 2: unreadable or usage. --resync lists host jumps instead of failing on them.
#include "tests/tools/counter_signal.hpp"

#include <sndfile.h>

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  const bool resync = argc == 3 && std::string(argv[1]) == "--resync";
  if (argc != 2 && !resync) {
    std::fprintf(stderr, "usage: counter_check [--resync] FILE\n");
    return 2;
  }
  const char* path = argv[argc - 1];
  SF_INFO info{};
  SNDFILE* file = sf_open(path, SFM_READ, &info);
  if (file == nullptr || info.channels != 2) {
    std::fprintf(stderr, "counter_check: cannot read '%s' as stereo: %s\n", path,
                 sf_strerror(file));
    return 2;
  }
  std::vector<float> samples;
  std::vector<float> block(2 * 65536);
  for (sf_count_t n; (n = sf_readf_float(file, block.data(), 65536)) > 0;)
    samples.insert(samples.end(), block.begin(), block.begin() + 2 * n);
  sf_close(file);

  const rc::test::CounterCheck r = rc::test::check_counter(samples, resync);
  std::printf("{\"frames\": %llu, \"lead_in\": %llu, \"counter_frames\": %llu, "
              "\"first_counter\": %llu, \"gaps\": [",
              (unsigned long long)r.frames, (unsigned long long)r.lead_in,
              (unsigned long long)r.counter_frames, (unsigned long long)r.first_counter);
  for (std::size_t i = 0; i < r.gaps.size(); ++i)
    std::printf("%s{\"frame\": %llu, \"frames\": %llu, \"after\": %u}", i ? ", " : "",
                (unsigned long long)r.gaps[i].frame, (unsigned long long)r.gaps[i].frames,
                r.gaps[i].after);
  std::printf("], \"tail_silence\": %llu, \"errors\": %llu, \"first_error\": %lld, "
              "\"first_error_shift\": %lld, \"jumps\": [",
              (unsigned long long)r.tail_silence, (unsigned long long)r.errors,
              (long long)r.first_error, (long long)r.first_error_shift);
  for (std::size_t i = 0; i < r.jumps.size(); ++i)
    std::printf("%s{\"frame\": %llu, \"shift\": %lld, \"after\": %u}", i ? ", " : "",
                (unsigned long long)r.jumps[i].frame, (long long)r.jumps[i].shift,
                r.jumps[i].after);
  std::printf("]}\n");
  return r.errors == 0 ? 0 : 1;
}
