// tests/tools/counter_check.cpp - checks a recording of the counter signal; prints JSON.
// Usage: counter_check [--resync] FILE      the stereo counter (jack_counter_source)
//        counter_check --channels N [--map LIST] [--resync] FILE
//                                            the multichannel counter (--ports N), any C;
//                                            --map 5,2,5: file channel k recorded source port
//                                            LIST[k] (from 1; default 1..N); 0 in LIST: a
//                                            channel that must be silent throughout
// Exit 0: no errors (and, without --resync, no jumps); 1: errors; 2: unreadable or usage.
// --resync lists host jumps instead of failing on them. --channels N also checks the file has
// N channels. Both print the same fields (frames, lead_in, counter_frames, first_counter, gaps,
// tail_silence, errors, first_error, error_runs, jumps) and one of their own: first_error_shift
// (stereo), channels, first_error_channel and torn_runs (--channels: for each error run,
// whether it is a torn block, two frames of the counter across its channels).
#include "tests/tools/counter_signal.hpp"

#include <sndfile.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

// Returns: the interleaved samples of `path`, which must have `channels` channels; false (with
// a message) when it cannot be read so.
bool read_samples(const char* path, int channels, std::vector<float>& samples) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path, SFM_READ, &info);
  if (file == nullptr || info.channels != channels) {
    std::fprintf(stderr, "counter_check: cannot read '%s' as %d channels: %s\n", path, channels,
                 file ? "it has another count" : sf_strerror(file));
    if (file) sf_close(file);
    return false;
  }
  const auto stride = static_cast<std::size_t>(channels);
  // All at once, not grown by doubling: a soak's file of 32 channels is 3.7 GB as floats.
  if (info.frames > 0) samples.reserve(static_cast<std::size_t>(info.frames) * stride);
  std::vector<float> block(stride * 65536);
  for (sf_count_t n; (n = sf_readf_float(file, block.data(), 65536)) > 0;)
    samples.insert(samples.end(), block.begin(), block.begin() + std::ptrdiff_t(stride) * n);
  sf_close(file);
  return true;
}

// Prints the fields both checks share, from `"frames"` to `"error_runs"`, without braces.
template <class Check> void print_common(const Check& r) {
  std::printf("\"frames\": %llu, \"lead_in\": %llu, \"counter_frames\": %llu, "
              "\"first_counter\": %llu, \"gaps\": [",
              (unsigned long long)r.frames, (unsigned long long)r.lead_in,
              (unsigned long long)r.counter_frames, (unsigned long long)r.first_counter);
  for (std::size_t i = 0; i < r.gaps.size(); ++i)
    std::printf("%s{\"frame\": %llu, \"frames\": %llu, \"after\": %u}", i ? ", " : "",
                (unsigned long long)r.gaps[i].frame, (unsigned long long)r.gaps[i].frames,
                r.gaps[i].after);
  std::printf("], \"tail_silence\": %llu, \"errors\": %llu, \"first_error\": %lld, "
              "\"error_runs\": [",
              (unsigned long long)r.tail_silence, (unsigned long long)r.errors,
              (long long)r.first_error);
  for (std::size_t i = 0; i < r.error_runs.size(); ++i)
    std::printf("%s{\"frame\": %llu, \"frames\": %llu, \"after\": %u}", i ? ", " : "",
                (unsigned long long)r.error_runs[i].frame,
                (unsigned long long)r.error_runs[i].frames, r.error_runs[i].after);
  std::printf("]");
}

// Prints `, "jumps": [...]}` and a newline: the end of the object.
void print_jumps_and_end(const std::vector<rc::test::Jump>& jumps) {
  std::printf(", \"jumps\": [");
  for (std::size_t i = 0; i < jumps.size(); ++i)
    std::printf("%s{\"frame\": %llu, \"shift\": %lld, \"after\": %u}", i ? ", " : "",
                (unsigned long long)jumps[i].frame, (long long)jumps[i].shift, jumps[i].after);
  std::printf("]}\n");
}

int usage() {
  std::fprintf(stderr, "usage: counter_check [--resync] FILE\n"
                       "       counter_check --channels N [--map LIST] [--resync] FILE "
                       "(N from 1 to 64)\n");
  return 2;
}

// Returns: false unless `text` is a list like 5,2,0,5 of numbers from 0 to 64; `sources` gets
// them less one (0 becomes silent_source).
bool parse_map(const char* text, std::vector<int>& sources) {
  for (const char* p = text; *p;) {
    char* end = nullptr;
    const long k = std::strtol(p, &end, 10);
    if (end == p || k < 0 || k > 64 || (*end != ',' && *end != '\0')) return false;
    sources.push_back(k == 0 ? rc::test::silent_source : int(k) - 1);
    p = *end == ',' ? end + 1 : end;
  }
  return true;
}

} // namespace

int main(int argc, char** argv) {
  int channels = 0; // --channels: 0 for the stereo counter
  bool resync = false;
  std::vector<int> sources;
  int i = 1;
  for (; i < argc - 1; ++i) {
    const std::string option = argv[i];
    if (option == "--resync")
      resync = true;
    else if (option == "--channels" && i + 2 < argc)
      channels = std::atoi(argv[++i]);
    else if (option == "--map" && i + 2 < argc) {
      if (!parse_map(argv[++i], sources)) return usage();
    } else
      return usage();
  }
  if (i != argc - 1) return usage();
  const char* path = argv[i];
  if (channels == 0) {
    if (!sources.empty()) return usage();
    std::vector<float> samples;
    if (!read_samples(path, 2, samples)) return 2;
    const rc::test::CounterCheck r = rc::test::check_counter(samples, resync);
    std::printf("{");
    print_common(r);
    std::printf(", \"first_error_shift\": %lld", (long long)r.first_error_shift);
    print_jumps_and_end(r.jumps);
    return r.errors == 0 ? 0 : 1;
  }
  if (channels < 1 || channels > 64 || (!sources.empty() && int(sources.size()) != channels))
    return usage();
  std::vector<float> samples;
  if (!read_samples(path, channels, samples)) return 2;
  const rc::test::MultiCounterCheck r =
      rc::test::check_counter_multi(samples, channels, sources, resync);
  std::printf("{\"channels\": %d, ", channels);
  print_common(r);
  std::printf(", \"first_error_channel\": %d, \"torn_runs\": [", r.first_error_channel);
  for (std::size_t k = 0; k < r.torn_runs.size(); ++k)
    std::printf("%s%s", k ? ", " : "", r.torn_runs[k] ? "true" : "false");
  std::printf("]");
  print_jumps_and_end(r.jumps);
  return r.errors == 0 ? 0 : 1;
}
