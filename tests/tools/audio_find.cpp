// tests/tools/audio_find.cpp - where one recording occurs, sample for sample, inside another.
// Usage: audio_find NEEDLE HAYSTACK. Prints {"offset": N} (the first frame of HAYSTACK from which
// every sample of NEEDLE matches exactly; -1 if none). Exit 0 if found, 1 if not (or NEEDLE is all
// silence, which matches anywhere), 2 if a file cannot be read or the channel counts differ.
#include "tests/tools/read_sound_file.hpp"

#include <sndfile.h>

#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: audio_find NEEDLE HAYSTACK\n");
    return 2;
  }
  SF_INFO needle_info{}, hay_info{};
  std::vector<float> needle, hay;
  if (!rc::test::read_sound_file(argv[1], needle_info, needle) ||
      !rc::test::read_sound_file(argv[2], hay_info, hay) ||
      needle_info.channels != hay_info.channels) {
    std::fprintf(stderr, "audio_find: cannot read both files with the same channel count\n");
    return 2;
  }
  // Anchor on the needle's first non-zero sample: only offsets that match it are compared fully,
  // which keeps the search linear in practice.
  std::size_t anchor = 0;
  while (anchor < needle.size() && needle[anchor] == 0.0f) ++anchor;
  long long found = -1;
  if (anchor < needle.size() && needle.size() <= hay.size()) {
    const auto channels = static_cast<std::size_t>(needle_info.channels);
    for (std::size_t p = 0; p + needle.size() <= hay.size(); p += channels) {
      if (hay[p + anchor] != needle[anchor]) continue;
      std::size_t i = 0;
      while (i < needle.size() && hay[p + i] == needle[i]) ++i;
      if (i == needle.size()) {
        found = static_cast<long long>(p / channels);
        break;
      }
    }
  }
  std::printf("{\"offset\": %lld}\n", found);
  return found >= 0 ? 0 : 1;
}
