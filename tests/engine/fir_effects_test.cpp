// tests/engine/fir_effects_test.cpp - sinc: its taps are sox's (values printed by sox 14.4.2's
// `--plot octave`), its response passes and stops what it should, its output does not depend on
// the block size, its latency is removed (an impulse stays where it was), and the parser refuses
// what sox refuses.
#include "engine/dsp/chain_parser.hpp"
#include "engine/dsp/effect_chain.hpp"
#include "engine/dsp/fir_effects.hpp"
#include "tests/engine/chain_runner.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

using namespace rc;

namespace {

/// Returns: `input` (`channels` interleaved) through the chain `words` at `rate`, fed in blocks
/// of `block` frames, flushed.
std::vector<float> run(const std::vector<std::string>& words, const std::vector<float>& input,
                       int channels, double rate, std::size_t block) {
  return test::run_chain(words, input, {channels, rate, block});
}

/// Returns: the filter `words` designs at `rate`.
std::vector<double> taps_of(const std::vector<std::string>& words, double rate) {
  EffectChain chain = parse_effect_chain(words);
  chain.configure({1, rate, 64});
  const auto* sinc = dynamic_cast<const SincEffect*>(chain.effects().front().get());
  REQUIRE(sinc != nullptr);
  return sinc->taps();
}

/// A mono sine of `hz` at `rate`, amplitude 0.5.
std::vector<float> sine(double hz, double rate, std::size_t frames) {
  std::vector<float> x(frames);
  for (std::size_t i = 0; i < frames; ++i)
    x[i] = static_cast<float>(0.5 * std::sin(2 * std::numbers::pi * hz * i / rate));
  return x;
}

/// RMS of `x` over [from, to).
double rms(const std::vector<float>& x, std::size_t from, std::size_t to) {
  double sum = 0;
  for (std::size_t i = from; i < to; ++i) sum += double{x[i]} * x[i];
  return std::sqrt(sum / static_cast<double>(to - from));
}

} // namespace

TEST_CASE("sinc taps: as sox prints them") {
  struct Case {
    std::vector<std::string> words;
    std::vector<double> expected;
  };
  // sox -n ... --plot octave IN.wav -n sinc ARGS, IN at 8 kHz.
  const std::vector<Case> cases{
      {{"sinc", "-n", "11", "1k"},
       {1.6890385678112253e-06, -9.0485126960310597e-20, -7.1064362053120432e-03,
        -5.9319324759726400e-02, -1.7719354404173943e-01, 7.5000000000000000e-01,
        -1.7719354404173943e-01, -5.9319324759726400e-02, -7.1064362053120432e-03,
        -9.0485126960310597e-20, 1.6890385678112253e-06}},
      {{"sinc", "-n", "11", "-a", "60", "-2k"},
       {1.2562979172629450e-03, -2.6393322376502792e-18, -3.8297429921300585e-02,
        1.2694066438812798e-17, 2.8682116728080409e-01, 4.9999999999999994e-01,
        2.8682116728080409e-01, 1.2694066438812798e-17, -3.8297429921300585e-02,
        -2.6393322376502792e-18, 1.2562979172629450e-03}},
      {{"sinc", "-n", "11", "-M", "-1k"},
       {4.9505149721937647e-02, 1.7539654215498673e-01, 2.4882584823632575e-01,
        1.7978478894863711e-01, 6.9289409771331634e-02, 1.3417581929824802e-02,
        1.0187262195544451e-03, -2.3304123077089137e-06, -4.8448732391055327e-07,
        -2.0417348560835375e-10, 5.7627353901336136e-11}},
  };
  for (const Case& c : cases) {
    const std::vector<double> h = taps_of(c.words, 8000);
    REQUIRE(h.size() == c.expected.size());
    for (std::size_t i = 0; i < h.size(); ++i)
      CHECK(h[i] == doctest::Approx(c.expected[i]).epsilon(1e-9));
  }
  // sox -V: "num taps = 317" for sinc 3k and sinc -4k at 48 kHz (120 dB, 1200 Hz transition).
  CHECK(taps_of({"sinc", "3k"}, 48000).size() == 317);
  CHECK(taps_of({"sinc", "-4k"}, 48000).size() == 317);
  CHECK(taps_of({"sinc", "-a", "60", "3k"}, 48000).size() == 147);
  CHECK(taps_of({"sinc", "1e3"}, 48000).size() == 323);
}

TEST_CASE("sinc response: the pass band within 0.01 dB and the stop band attenuated") {
  const double rate = 48000;
  const std::size_t frames = 48000;
  struct Case {
    std::vector<std::string> words;
    double pass_hz, stop_hz, attenuation_db;
  };
  const std::vector<Case> cases{
      {{"sinc", "-4k"}, 1000, 8000, 120},
      {{"sinc", "3k"}, 10000, 500, 120},
      {{"sinc", "3k-6k"}, 4500, 10000, 120},
      {{"sinc", "6k-3k"}, 10000, 4500, 120},
      {{"sinc", "-a", "60", "-4k"}, 1000, 8000, 60},
      {{"sinc", "-M", "-4k"}, 1000, 8000, 120},
  };
  for (const Case& c : cases) {
    CAPTURE(c.words[1]);
    const auto pass = run(c.words, sine(c.pass_hz, rate, frames), 1, rate, 1024);
    const auto stop = run(c.words, sine(c.stop_hz, rate, frames), 1, rate, 1024);
    REQUIRE(pass.size() == frames);
    const double in = 0.5 / std::sqrt(2.0);
    // The middle, away from the filter's start and end.
    CHECK(std::fabs(20 * std::log10(rms(pass, 4000, frames - 4000) / in)) < 0.01);
    CHECK(20 * std::log10(rms(stop, 4000, frames - 4000) / in) < -(c.attenuation_db - 6));
  }
}

TEST_CASE("sinc: the same output for any block size") {
  const double rate = 48000;
  std::vector<float> x(2 * 5000);
  unsigned seed = 1;
  for (float& v : x)
    seed = seed * 1103515245u + 12345u, v = static_cast<float>(seed >> 8) / 16777216.0f - 0.5f;
  for (const std::vector<std::string>& words :
       {std::vector<std::string>{"sinc", "3k-4k"}, {"sinc", "-I", "-n", "501", "-2k"}}) {
    const auto reference = run(words, x, 2, rate, 5000);
    REQUIRE(reference.size() == x.size());
    for (const std::size_t block :
         {std::size_t{1}, std::size_t{7}, std::size_t{256}, std::size_t{4096}})
      CHECK(run(words, x, 2, rate, block) == reference);
  }
}

TEST_CASE("sinc latency: an impulse comes out where it went in") {
  const double rate = 48000;
  std::vector<float> x(3000);
  x[1000] = 1;
  for (const std::vector<std::string>& words :
       {std::vector<std::string>{"sinc", "-4k"}, {"sinc", "-n", "1001", "3k-4k"}}) {
    const auto y = run(words, x, 1, rate, 256);
    REQUIRE(y.size() == x.size());
    std::size_t peak = 0;
    for (std::size_t i = 0; i < y.size(); ++i)
      if (std::fabs(y[i]) > std::fabs(y[peak])) peak = i;
    CHECK(peak == 1000);
  }
  // Minimum phase: sox aligns the response's peak with the impulse; it rises over the ~20
  // frames before it (as sox's output does), and nothing comes earlier.
  const auto y = run({"sinc", "-M", "-4k"}, x, 1, rate, 256);
  for (std::size_t i = 0; i < 960; ++i) REQUIRE(std::fabs(y[i]) < 1e-5f);
  // A short input still comes out whole, its tail included.
  CHECK(run({"sinc", "-n", "32767", "100"}, std::vector<float>(10, 0.25f), 1, rate, 4).size() ==
        10);
}

TEST_CASE("sinc parser: refusals") {
  const std::vector<std::vector<std::string>> bad{
      {"sinc"},
      {"sinc", "0"},
      {"sinc", "3k", "4k"},
      {"sinc", "3k-"},
      {"sinc", "nan"},
      {"sinc", "-nan"},
      {"sinc", "1e400"},
      {"sinc", "2e6"},
      {"sinc", "-a", "60", "-b", "5", "3k"},
      {"sinc", "-t", "100", "-n", "51", "3k"},
      {"sinc", "-t", "100", "3k-4k", "-n", "51"},
      {"sinc", "-a", "30", "3k"},
      {"sinc", "-a", "nan", "3k"},
      {"sinc", "-n", "5", "3k"},
      {"sinc", "-n", "40000", "3k"},
      {"sinc", "-n", "51.5", "3k"},
      {"sinc", "-p", "101", "3k"},
      {"sinc", "-t", "0.5", "3k"},
      {"sinc", "-t"},
      {"sinc", "-x", "3k"},
      {"sinc", "-Mx", "3k"},
  };
  for (const auto& words : bad) {
    CAPTURE(words.back());
    CHECK_THROWS_AS(parse_effect_chain(words), ChainSyntaxError);
  }
  // Accepted as sox accepts them: attached values, flag clusters, options after the frequency.
  CHECK_NOTHROW(parse_effect_chain({"sinc", "-a60", "-MI", "3k-4k", "-t", "200"}));
  // Above Nyquist: refused when the rate is known.
  EffectChain chain = parse_effect_chain({"sinc", "3k-24k"});
  CHECK_THROWS_WITH_AS(chain.configure({1, 48000, 64}), doctest::Contains("sinc"),
                       std::invalid_argument);
}
