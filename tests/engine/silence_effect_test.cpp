// tests/engine/silence_effect_test.cpp - sox's silence effect on signals whose RMS is easy to
// follow (constant 0.5 after zeros, 2 channels at 1000 Hz: a window of 20 frames): the start
// trimmed, the end cut, silence in the middle dropped or left (-l), sox's oddities (a bare
// duration is samples, -l gives held silence again at the end), the same output whatever the
// block size, the RMS masked to the input's precision, and the parser's refusals.
#include "engine/dsp/chain_parser.hpp"
#include "tests/engine/chain_runner.hpp"

#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

using namespace rc;

namespace {

constexpr int channels = 2;
constexpr double rate = 1000;

/// Returns: a signal of (frames, loud) runs: 0.5 + frame/1e6 (distinct, audibly loud) or zeros.
std::vector<float> signal(const std::vector<std::pair<std::size_t, bool>>& runs) {
  std::vector<float> out;
  for (const auto& [frames, loud] : runs)
    for (std::size_t i = 0; i < frames; ++i) {
      const auto v = loud ? 0.5f + static_cast<float>(out.size()) / 2e6f : 0.0f;
      out.push_back(v);
      out.push_back(-v);
    }
  return out;
}

/// Returns: frames [from, to) of `x`.
std::vector<float> frames_of(const std::vector<float>& x, std::size_t from, std::size_t to) {
  return {x.begin() + static_cast<std::ptrdiff_t>(from * channels),
          x.begin() + static_cast<std::ptrdiff_t>(to * channels)};
}

std::vector<float> operator+(std::vector<float> a, const std::vector<float>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// Returns: `input` through `words` in blocks of `block` frames (an empty block, null data,
/// between each), flushed, with the input's precision `bits`.
std::vector<float> run(const std::vector<std::string>& words, const std::vector<float>& input,
                       std::size_t block, int bits = 32) {
  return test::run_chain(words, input, {channels, rate, block, bits, /*empty_blocks=*/true});
}

/// Checks: `words` on `input` gives `expected` in blocks of 1, 7 and 4096 frames.
void check(const std::vector<std::string>& words, const std::vector<float>& input,
           const std::vector<float>& expected) {
  for (const std::size_t block : {std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
    CAPTURE(block);
    const std::vector<float> out = run(words, input, block);
    CHECK(out.size() / channels == expected.size() / channels);
    CHECK(out == expected);
  }
}

// Zeros, then loud: the first loud frame's RMS (one sample of 0.5 in 40) is 0.079, above 1%.
// Loud, then zeros: the RMS stays above 1% until the 20th zero frame has left no loud sample.
const std::vector<float> one_tone = signal({{100, false}, {200, true}, {100, false}});
const std::vector<float> two_tones =
    signal({{100, false}, {200, true}, {100, false}, {200, true}, {100, false}});

} // namespace

TEST_CASE("silence trims the start at the first loud frame") {
  check({"silence", "1", "5s", "1%"}, one_tone, frames_of(one_tone, 100, 400));
}

TEST_CASE("silence 0 copies everything") { check({"silence", "0"}, one_tone, one_tone); }

TEST_CASE("silence trims the end once the silence lasts its duration") {
  check({"silence", "1", "5s", "1%", "1", "50s", "1%"}, one_tone, frames_of(one_tone, 100, 320));
}

TEST_CASE("silence gives back a silence shorter than its duration") {
  const auto gap = signal({{100, false}, {200, true}, {30, false}, {200, true}, {100, false}});
  check({"silence", "1", "5s", "1%", "-1", "50s", "1%"}, gap, frames_of(gap, 100, 550));
  // At the end of the input, a held silence shorter than the duration comes out too.
  const auto tail = signal({{100, false}, {200, true}, {40, false}});
  check({"silence", "1", "5s", "1%", "1", "50s", "1%"}, tail, frames_of(tail, 100, 340));
}

TEST_CASE("silence with negative below periods removes silence in the middle") {
  check({"silence", "1", "5s", "1%", "-1", "50s", "1%"}, two_tones,
        frames_of(two_tones, 100, 320) + frames_of(two_tones, 400, 620));
}

TEST_CASE("silence -l leaves the held duration of each silence") {
  check({"silence", "-l", "1", "5s", "1%", "-1", "50s", "1%"}, two_tones,
        frames_of(two_tones, 100, 370) + frames_of(two_tones, 400, 670));
  // sox's oddity: with -l, what is held at the end is given a second time.
  const auto tail = signal({{100, false}, {200, true}, {40, false}});
  check({"silence", "-l", "1", "5s", "1%", "1", "50s", "1%"}, tail,
        frames_of(tail, 100, 340) + frames_of(tail, 320, 340));
}

TEST_CASE("silence counts above periods and drops all but the last") {
  check({"silence", "2", "5s", "1%"}, one_tone, frames_of(one_tone, 105, 400));
}

TEST_CASE("silence in dB waits for the RMS to pass the threshold") {
  // The RMS at frame 100 + k is 0.5 sqrt((2k + 1) / 40): above -10 dB from k = 8.
  check({"silence", "1", "5s", "-10d"}, one_tone, frames_of(one_tone, 108, 400));
  check({"silence", "1", "5s", "-10dB"}, one_tone, frames_of(one_tone, 108, 400));
}

TEST_CASE("silence reads a bare duration as samples and a dotted one as time") {
  const auto expected = run({"silence", "2", "5s", "1%"}, one_tone, 64);
  CHECK(run({"silence", "2", "5", "1%"}, one_tone, 64) == expected);
  CHECK(run({"silence", "2", "0.005", "1%"}, one_tone, 64) == expected);
  CHECK(run({"silence", "2", "0:0.005", "1"}, one_tone, 64) == expected);
}

TEST_CASE("silence masks the RMS to the input's precision") {
  // One bit of precision leaves no positive RMS: nothing is ever above the threshold.
  CHECK(run({"silence", "1", "5s", "1%"}, one_tone, 64, 1).empty());
  CHECK(run({"silence", "1", "5s", "1%"}, one_tone, 64, 16) == frames_of(one_tone, 100, 400));
  // After an effect that computes new samples, the precision is 32 bits again.
  CHECK(run({"gain", "0", "silence", "1", "5s", "1%"}, one_tone, 64, 1) ==
        frames_of(one_tone, 100, 400));
}

TEST_CASE("silence forms sox accepts parse") {
  for (const std::vector<std::string>& words : std::vector<std::vector<std::string>>{
           {"silence", "0"},
           {"silence", "1", "0.1", "1%"},
           {"silence", "1", "0.1", "1%", "1", "0.1", "1%"},
           {"silence", "1", "0.1", "1%", "-1", "0.1", "1%"},
           {"silence", "-l", "1", "0.1", "1%", "-1", "0.1", "1%"},
           {"silence", "0", "-1", "1:00", "-50d"},
           {"silence", "3", "4800s", "0.5", "2", "1e3", "100%"}}) {
    CAPTURE(words.size());
    CHECK_NOTHROW((void)parse_effect_chain(words));
  }
}

TEST_CASE("silence refuses what sox refuses and what it would misread") {
  for (const std::vector<std::string>& words : std::vector<std::vector<std::string>>{
           {"silence"},
           {"silence", "-l"},
           {"silence", "1"},
           {"silence", "1", "0.1"},
           {"silence", "1", "0.1", "1%", "1"},
           {"silence", "1", "0.1", "1%", "1", "0.1"},
           {"silence", "1", "0.1", "1%", "1", "0.1", "1%", "x"},
           {"silence", "-1", "0.1", "1%"},
           {"silence", "1.5", "0.1", "1%"},
           {"silence", "nan", "0.1", "1%"},
           {"silence", "99999999999", "0.1", "1%"},
           {"silence", "1", "abc", "1%"},
           {"silence", "1", "-0.1", "1%"},
           {"silence", "1", "1e30", "1%"},
           {"silence", "1", "0.1", "nan"},
           {"silence", "1", "0.1", "101%"},
           {"silence", "1", "0.1", "-1%"},
           {"silence", "1", "0.1", "3d"},
           {"silence", "1", "0.1", "0d"},
           {"silence", "1", "0.1", "1x"},
           {"silence", "1", "0.1", "%"},
           {"silence", "1", "0.1", ""},
           {"silence", "1", "0.1", "1%", "-1", "0.1", "1%", ":", "newfile"},
           {"silence", "1", "0.1", "1%", ":", "gain", "-1"},
           {"gain", "-1", "newfile"}}) {
    CAPTURE(words.size());
    CHECK_THROWS_AS((void)parse_effect_chain(words), ChainSyntaxError);
  }
}

TEST_CASE("silence refuses a hold that would not fit in memory") {
  EffectChain chain = parse_effect_chain({"silence", "1", "10000:00:00", "1%"});
  CHECK_THROWS_AS((void)chain.configure({channels, 48000, 64}), std::invalid_argument);
}
