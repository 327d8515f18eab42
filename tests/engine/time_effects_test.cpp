// tests/engine/time_effects_test.cpp - the offline effects that cut, lengthen or reorder the
// audio (trim, pad, delay, repeat, reverse) give the same output whatever the block size: every
// frame once, in order, also when a window, a pad or a delay falls on a block boundary or blocks
// are one frame long. The reference is a direct computation on the whole signal.
#include "tests/engine/chain_runner.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rc;

namespace {

constexpr int channels = 2;
constexpr double rate = 1000; // 1 s = 1000 frames: positions below are easy to read

/// A ramp: frame i holds i + 1 in the left channel and -(i + 1) in the right (no zero, so
/// silence cannot pass for audio).
std::vector<float> ramp(std::size_t frames) {
  std::vector<float> out(frames * channels);
  for (std::size_t i = 0; i < frames; ++i) {
    out[i * channels] = static_cast<float>(i + 1);
    out[i * channels + 1] = -static_cast<float>(i + 1);
  }
  return out;
}

/// Returns: `input` through the chain `words`, fed in blocks of `block` frames, flushed.
std::vector<float> run(const std::vector<std::string>& words, const std::vector<float>& input,
                       std::size_t block) {
  return test::run_chain(words, input, {channels, rate, block});
}

/// Frames [from, to) of `x`.
std::vector<float> frames_of(const std::vector<float>& x, std::size_t from, std::size_t to) {
  return {x.begin() + static_cast<std::ptrdiff_t>(from * channels),
          x.begin() + static_cast<std::ptrdiff_t>(to * channels)};
}

std::vector<float> silence(std::size_t frames) { return std::vector<float>(frames * channels); }

std::vector<float> joined(std::initializer_list<std::vector<float>> parts) {
  std::vector<float> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

} // namespace

TEST_CASE("trim pad delay repeat and reverse: the same output for any block size") {
  const std::vector<float> x = ramp(1000);
  struct Case {
    std::vector<std::string> chain;
    std::vector<float> expected;
  };
  std::vector<float> reversed;
  for (std::size_t i = 1000; i-- > 0;) {
    reversed.push_back(x[i * channels]);
    reversed.push_back(x[i * channels + 1]);
  }
  std::vector<float> delayed = joined({silence(100), frames_of(x, 0, 1000)});
  for (std::size_t i = 0; i < 1100; ++i) // the right channel is not delayed: then silence
    delayed[i * channels + 1] = i < 1000 ? x[i * channels + 1] : 0.0f;
  const std::vector<Case> cases{
      {{"trim", "0.25", "0.5"}, frames_of(x, 250, 750)},
      {{"trim", "0", "0.1", "0.2", "0.1"}, joined({frames_of(x, 0, 100), frames_of(x, 300, 400)})},
      {{"trim", "=0.999"}, frames_of(x, 999, 1000)},
      {{"trim", "-0.01"}, frames_of(x, 990, 1000)},
      {{"pad", "0.1", "0.05"}, joined({silence(100), x, silence(50)})},
      {{"pad", "0.01@0.5", "0.02@-0"},
       joined({frames_of(x, 0, 500), silence(10), frames_of(x, 500, 1000), silence(20)})},
      {{"delay", "0.1"}, delayed},
      {{"repeat", "2"}, joined({x, x, x})},
      // Two equal positions: an empty window, the next one still kept.
      {{"trim", "0", "0.01", "0.02", "0", "0.03", "0.01"},
       joined({frames_of(x, 0, 10), frames_of(x, 60, 70)})},
      // Padding is silence however often its block passes through an effect working in place.
      {{"pad", "0.3", "dcshift", "0.5"},
       [&] {
         std::vector<float> r(300 * channels, 0.5f);
         for (const float v : x) r.push_back(v + 0.5f);
         return r;
       }()},
      {{"reverse"}, reversed},
      {{"trim", "0.5", "pad", "0.1", "reverse"},
       [&] {
         std::vector<float> r;
         for (std::size_t i = 1000; i-- > 500;) {
           r.push_back(x[i * channels]);
           r.push_back(x[i * channels + 1]);
         }
         const auto s = silence(100);
         r.insert(r.end(), s.begin(), s.end());
         return r;
       }()},
  };
  for (const Case& c : cases) {
    std::string name;
    for (const auto& w : c.chain) name += w + " ";
    for (const std::size_t block :
         {std::size_t{1}, std::size_t{7}, std::size_t{100}, std::size_t{250}, std::size_t{4096}}) {
      CAPTURE(name);
      CAPTURE(block);
      CHECK(run(c.chain, x, block) == c.expected);
    }
  }
}
