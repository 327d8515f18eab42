// tests/tools/counter_check.cpp - checks a recording of the counter signal; prints JSON.
// Usage: counter_check [--resync] FILE      the stereo counter (jack_counter_source)
//        counter_check --channels N [--map LIST] FILE
//                                            the multichannel counter (--ports N), any C;
//                                            --map 5,2,5: file channel k recorded source port
//                                            LIST[k] (from 1; default 1..N)
// Exit 0: no errors (and, without --resync, no jumps); 1: errors; 2: unreadable or usage.
// --resync lists host jumps instead of failing on them. --channels N also checks the file has
// N channels.
#include "tests/tools/counter_signal.hpp"

#include <sndfile.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

// counter_check --channels N [--map LIST] FILE: the multichannel counter.
int check_multi(int channels, const std::vector<int>& sources, const char* path) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path, SFM_READ, &info);
  if (file == nullptr || info.channels != channels) {
    std::fprintf(stderr, "counter_check: cannot read '%s' as %d channels: %s\n", path, channels,
                 file ? "it has another count" : sf_strerror(file));
    if (file) sf_close(file);
    return 2;
  }
  const auto stride = static_cast<std::size_t>(channels);
  std::vector<float> samples;
  std::vector<float> block(stride * 65536);
  for (sf_count_t n; (n = sf_readf_float(file, block.data(), 65536)) > 0;)
    samples.insert(samples.end(), block.begin(), block.begin() + std::ptrdiff_t(stride) * n);
  sf_close(file);
  const rc::test::MultiCounterCheck r = rc::test::check_counter_multi(samples, channels, sources);
  std::printf("{\"channels\": %d, \"frames\": %llu, \"lead_in\": %llu, \"counter_frames\": %llu, "
              "\"first_counter\": %llu, \"gaps\": [",
              channels, (unsigned long long)r.frames, (unsigned long long)r.lead_in,
              (unsigned long long)r.counter_frames, (unsigned long long)r.first_counter);
  for (std::size_t i = 0; i < r.gaps.size(); ++i)
    std::printf("%s{\"frame\": %llu, \"frames\": %llu, \"after\": %u}", i ? ", " : "",
                (unsigned long long)r.gaps[i].frame, (unsigned long long)r.gaps[i].frames,
                r.gaps[i].after);
  std::printf("], \"tail_silence\": %llu, \"errors\": %llu, \"first_error\": %lld, "
              "\"first_error_channel\": %d}\n",
              (unsigned long long)r.tail_silence, (unsigned long long)r.errors,
              (long long)r.first_error, r.first_error_channel);
  return r.errors == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
  if ((argc == 4 || argc == 6) && std::string(argv[1]) == "--channels") {
    const int channels = std::atoi(argv[2]);
    std::vector<int> sources;
    if (argc == 6) {
      if (std::string(argv[3]) != "--map") return 2;
      for (const char* p = argv[4]; *p;) {
        char* end = nullptr;
        const long k = std::strtol(p, &end, 10);
        if (end == p || k < 1 || k > 64) return 2;
        sources.push_back(int(k) - 1);
        p = *end == ',' ? end + 1 : end;
        if (*end != ',' && *end != '\0') return 2;
      }
    }
    if (channels < 1 || channels > 64 || (!sources.empty() && int(sources.size()) != channels)) {
      std::fprintf(stderr,
                   "usage: counter_check --channels N [--map LIST] FILE (N from 1 to 64)\n");
      return 2;
    }
    return check_multi(channels, sources, argv[argc - 1]);
  }
  const bool resync = argc == 3 && std::string(argv[1]) == "--resync";
  if (argc != 2 && !resync) {
    std::fprintf(stderr, "usage: counter_check [--resync] FILE | --channels N FILE\n");
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
