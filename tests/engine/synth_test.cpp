// tests/engine/synth_test.cpp - sox's synth: the waveforms' formulas, the length cutting the
// output, block-size invariance, sox's seeded noise, notes and just intonation, pluck, and the
// parser's refusals.
#include "engine/dsp/chain_parser.hpp"
#include "engine/dsp/effect_chain.hpp"
#include "engine/dsp/synth_effect.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

using namespace rc;

namespace {

/// Returns: `channels` channels of `input` frames of silence at `rate` through `words`, fed in
/// blocks of `block` frames, flushed.
std::vector<float> run_synth(const std::vector<std::string>& words, std::size_t frames,
                             int channels, double rate, std::size_t block) {
  EffectChain chain = parse_effect_chain(words);
  chain.set_input_length(frames, rate);
  chain.configure({channels, rate, block});
  std::vector<float> out;
  const auto sink = [&out](AudioBlock b) {
    out.insert(out.end(), b.data, b.data + b.frames * static_cast<std::size_t>(b.channels));
  };
  const auto c = static_cast<std::size_t>(channels);
  std::vector<float> scratch(block * c);
  for (std::size_t at = 0; at < frames; at += block) {
    const std::size_t n = std::min(block, frames - at);
    std::fill(scratch.begin(), scratch.end(), 0.5f);
    chain.process({scratch.data(), n, channels}, sink);
  }
  chain.flush(sink);
  return out;
}

} // namespace

TEST_CASE("synth sine: sox's formula, cut at the length") {
  const auto out = run_synth({"synth", "1000s", "sine", "300"}, 4000, 1, 48000, 256);
  REQUIRE(out.size() == 1000);
  for (std::size_t n = 0; n < out.size(); ++n) {
    const double t = double(n) / 48000;
    CHECK(out[n] == doctest::Approx(std::sin(2 * std::numbers::pi * std::fmod(300 * t, 1.0)) *
                                    2147483647.0 / 2147483648.0)
                        .epsilon(1e-6));
  }
}

TEST_CASE("synth: the same output whatever the block size") {
  for (const auto* type : {"square", "triangle", "pinknoise", "brownnoise", "sine"}) {
    const std::vector<std::string> words{"synth", "0.1", type, "amod", "100:2k"};
    const bool noise = std::string(type).find("noise") != std::string::npos;
    const auto w = noise ? std::vector<std::string>{"synth", "0.1", type, "amod"} : words;
    const auto a = run_synth(w, 6000, 2, 48000, 1);
    const auto b = run_synth(w, 6000, 2, 48000, 4096);
    REQUIRE(a.size() == 2 * 4800);
    CHECK(a == b);
  }
}

TEST_CASE("synth: generators by channel and the combine modes") {
  // Channel 0 sine, channel 1 square fmod (input 0.5): square values are +-0.5.
  const auto out = run_synth({"synth", "sine", "square", "fmod", "100"}, 480, 2, 48000, 64);
  REQUIRE(out.size() == 960);
  for (std::size_t n = 0; n < 480; ++n) CHECK(std::fabs(out[2 * n + 1]) == doctest::Approx(0.5));
  // mix: (s + x) / 2, with offset 100 % (s = 1): 0.75.
  const auto mix = run_synth({"synth", "sine", "mix", "100", "100"}, 10, 1, 48000, 4);
  for (const float x : mix) CHECK(x == doctest::Approx(0.75));
}

TEST_CASE("synth noise: sox's generator from seed 0") {
  SoxRandom r;
  CHECK(r.next() == 1013904223);
  const auto out = run_synth({"synth", "10s", "whitenoise"}, 10, 1, 48000, 10);
  SoxRandom s;
  for (const float x : out)
    CHECK(x == doctest::Approx(s.next_unit() * 2147483647.0 / 2147483648.0));
}

TEST_CASE("synth parser: refusals are ChainSyntaxError") {
  for (const std::vector<std::string>& words : std::vector<std::vector<std::string>>{
           {"synth", "1", "bogus"},
           {"synth", "1", "pluck", "20"},
           {"synth", "1", "pluck", "5k"},
           {"synth", "1", "pluck", "100:200"},
           {"synth", "1", "sine", "%"},
           {"synth", "1", "sine", "%nan"},
           {"synth", "1", "sine", "%1e300"},
           {"synth", "1", "sine", "%200"},
           {"synth", "1", "sine", "%3k"},
           {"synth", "1", "sine", "H4"},
           {"synth", "1", "sine", "A10"},
           {"synth", "1", "sine", "A4:%x"},
           {"synth", "-j"},
           {"synth", "-j", "x", "sine"},
           {"synth", "-j", "3x", "sine"},
           {"synth", "-j", "99999999999", "sine"},
           {"synth", "-j", "C#44", "sine"},
           {"synth", "-j", "3", "-n", "sine"},
           {"synth", "1", "sine", "nan"},
           {"synth", "1", "sine", "44x"},
           {"synth", "1", "sine", "1e300"},
           {"synth", "sine", "1:2"},
           {"synth", "1", "noise", "1:2"},
           {"synth", "1", "sine", "0/100"},
           {"synth", "1", "sine", "100", "101"},
           {"synth", "1", "sine", "100", "0", "nan"},
           {"synth", "1x", "sine"},
       })
    CHECK_THROWS_AS(parse_effect_chain(words), ChainSyntaxError);
  CHECK_NOTHROW(parse_effect_chain({"synth"}));
  CHECK_NOTHROW(parse_effect_chain({"synth", "-n", "-j", "C", "1", "pluck", "%-21", "sine", "E2"}));
  CHECK_NOTHROW(parse_effect_chain({"synth", "-j", "0x3 ", "1", "sine", "%-9.5:Bb5"}));
  CHECK_NOTHROW(parse_effect_chain({"synth", "-n", "3", "10", "sine", "fmod", "1k:2k", "5", "50"}));
}

TEST_CASE("synth notes: equal temperament and just intonation") {
  CHECK(note_frequency(0, std::nullopt) == 440);
  CHECK(note_frequency(12, std::nullopt) == doctest::Approx(880));
  CHECK(note_frequency(-9, std::nullopt) == doctest::Approx(261.6255653));
  // Just, in C (-9, or 3: the same key): A is C's major sixth, 5/3 above it; E its third, 5/4.
  const double c = note_frequency(-9, -9);
  CHECK(c == doctest::Approx(440 * std::pow(2., -9 / 12.)));
  CHECK(note_frequency(0, 3) / c == doctest::Approx(5. / 3));
  CHECK(note_frequency(-5, -9) / c == doctest::Approx(5. / 4));
  CHECK(note_frequency(3, -9) / c == doctest::Approx(2));
  // Halfway between two steps: halfway in octaves.
  CHECK(std::log2(note_frequency(-8.5, -9) / c) == doctest::Approx(std::log2(16. / 15) / 2));
}

TEST_CASE("synth pluck: a decaying string at its pitch, the same whatever the block size") {
  const auto a = run_synth({"synth", "1", "pluck", "%-12"}, 48000, 1, 48000, 1);
  const auto b = run_synth({"synth", "1", "pluck", "%-12"}, 48000, 1, 48000, 4096);
  REQUIRE(a.size() == 48000);
  CHECK(a == b);
  double early = 0, late = 0;
  for (std::size_t n = 0; n < 4800; ++n) early += a[n] * a[n], late += a[43200 + n] * a[43200 + n];
  CHECK(late < early / 4);
  for (const float x : a) CHECK(std::fabs(x) <= 1.0f);
  // Periodic at 220 Hz: a period later, nearly the same.
  double diff = 0, energy = 0;
  for (std::size_t n = 4800; n < 9600; ++n) {
    const double d = a[n] - a[n + 218]; // 48000 / 220 = 218.2
    diff += d * d, energy += a[n] * a[n];
  }
  CHECK(diff < energy / 4);
  CHECK_THROWS_AS(run_synth({"synth", "1", "pluck"}, 100, 1, 8000, 64), std::invalid_argument);
}
