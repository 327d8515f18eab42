// tests/engine/analysis_effects_test.cpp - stat and stats on short signals whose figures can be
// worked out by hand: sox's sample conversion, each figure, the quirks kept from sox (stat's one
// stream across channels and its minimum delta of 0; stats' Overall column), sox's number
// format, block-size independence, and the parser's refusals. tests/process/stat_matches_sox.sh
// compares the whole text with sox's on files.
#include "engine/dsp/analysis_effects.hpp"
#include "engine/dsp/chain_parser.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

using namespace rc;

namespace {

/// Returns: the figures of `effect` after `samples` (interleaved, `channels`) went through it in
/// blocks of `block` frames at `rate`.
template <class E>
const E& measured(E& effect, std::vector<float> samples, int channels, std::size_t block,
                  double rate = 4) {
  effect.configure({channels, rate, block});
  const std::size_t frames = samples.size() / static_cast<std::size_t>(channels);
  for (std::size_t f = 0; f < frames; f += block) {
    const std::size_t n = std::min(block, frames - f);
    float* data = samples.data() + f * static_cast<std::size_t>(channels);
    const std::vector<float> before(data, data + n * static_cast<std::size_t>(channels));
    const AudioBlock out = effect.process({data, n, channels});
    REQUIRE(out.data == data); // passed through in place...
    for (std::size_t i = 0; i < before.size(); ++i) REQUIRE(out.data[i] == before[i]); // unchanged
  }
  return effect;
}

/// A stat whose scale is 2^31, so each sample's stat value is the float itself, exactly.
StatEffect exact_stat(bool rms = false) {
  StatOptions o;
  o.scale = 2147483648.0;
  o.rms = rms;
  return StatEffect("stat", o);
}

} // namespace

TEST_CASE("to_sox_sample converts as sox reads a float file: times 2^31 truncated and clipped") {
  CHECK(to_sox_sample(0.5f) == (1 << 30));
  CHECK(to_sox_sample(-0.25f) == -(1 << 29));
  CHECK(to_sox_sample(-1.0f) == INT32_MIN);
  CHECK(to_sox_sample(1.0f) == INT32_MAX);
  CHECK(to_sox_sample(-3.0f) == INT32_MIN);
  CHECK(to_sox_sample(1e-10f) == 0);             // 0.21: truncated towards zero
  CHECK(to_sox_sample(-1e-9f) == -2);            // -2.1: towards zero too
  CHECK(to_sox_sample(3.0f / 32768) == 3 << 16); // a 16-bit sample lands on sox's exactly
}

TEST_CASE("stat on 0.5 -0.25 0.5 0: every figure as worked out by hand") {
  StatEffect effect = exact_stat();
  const StatFigures f = measured(effect, {0.5f, -0.25f, 0.5f, 0.0f}, 1, 4).figures();
  CHECK(f.samples == 4);
  CHECK(f.seconds == 1.0);
  CHECK(f.scale == 2147483648.0);
  CHECK(f.maximum == 0.5);
  CHECK(f.minimum == -0.25);
  CHECK(f.midline == 0.125);
  CHECK(f.mean_norm == 1.25 / 4);
  CHECK(f.mean == 0.75 / 4);
  CHECK(f.rms == doctest::Approx(std::sqrt(0.5625 / 4)));
  // Deltas 0 (the first sample against itself), 0.75, 0.75, 0.5; over samples - 1.
  CHECK(f.maximum_delta == 0.75);
  CHECK(f.minimum_delta == 0.0);
  CHECK(f.mean_delta == doctest::Approx(2.0 / 3));
  CHECK(f.rms_delta == doctest::Approx(std::sqrt((0.5625 * 2 + 0.25) / 3)));
  const double rough = std::sqrt(1.375 / 0.5625) * 4 / (2 * 3.141592653589793);
  CHECK(f.rough_frequency == static_cast<int>(rough));
  REQUIRE(f.volume_adjustment);
  CHECK(*f.volume_adjustment == doctest::Approx(2147483647.0 / (0.5 * 2147483648.0)));
  // Quarters of the range: -0.25 in [-0.5, 0), 0 in [0, 0.5), both 0.5 in [0.5, 1).
  CHECK(f.quarters == std::array<std::uint64_t, 4>{0, 1, 1, 2});
}

TEST_CASE("stat's minimum delta is 0 even when no two samples are equal (sox's)") {
  StatEffect effect = exact_stat();
  const StatFigures f = measured(effect, {0.1f, 0.3f, 0.6f, 1.0f - 1.0f / 8}, 1, 4).figures();
  CHECK(f.minimum_delta == 0.0);
  CHECK(f.maximum_delta == doctest::Approx(0.3).epsilon(1e-6));
}

TEST_CASE("stat mixes the channels into one stream: the delta crosses from left to right") {
  StatEffect effect = exact_stat();
  const StatFigures f = measured(effect, {0.5f, -0.5f, 0.5f, -0.5f}, 2, 2).figures();
  CHECK(f.samples == 4);         // every channel's samples
  CHECK(f.seconds == 0.5);       // 2 frames at 4 Hz
  CHECK(f.maximum_delta == 1.0); // left to right within a frame
  CHECK(f.mean_delta == 1.0);    // (0 + 1 + 1 + 1) / 3
}

TEST_CASE("stat's figures do not depend on the block size") {
  std::vector<float> signal;
  for (int i = 0; i < 101; ++i) signal.push_back(static_cast<float>(std::sin(i * 0.37) * 0.8));
  StatEffect whole = exact_stat(), single = exact_stat();
  const StatFigures a = measured(whole, signal, 1, 101).figures();
  const StatFigures b = measured(single, signal, 1, 1).figures();
  CHECK(a.maximum == b.maximum);
  CHECK(a.minimum == b.minimum);
  CHECK(a.mean_delta == b.mean_delta);
  CHECK(a.rms == b.rms);
  CHECK(a.rough_frequency == b.rough_frequency);
}

TEST_CASE("stat -rms gives the figures in units of the RMS") {
  StatEffect effect = exact_stat(true);
  const StatFigures f = measured(effect, {0.5f, -0.5f, 0.5f, -0.5f}, 1, 4).figures();
  CHECK(f.rms_scale == 0.5);
  CHECK(f.rms == 1.0);
  CHECK(f.maximum == 1.0);
  CHECK(f.scale == 2147483648.0 * 0.5);
  CHECK(stat_text(f, SampleEncoding::other).find("Scaled by rms:         0.500000\n") !=
        std::string::npos);
}

TEST_CASE("stat's text: sox's layout and -v alone and its guess at a misread file") {
  StatEffect effect("stat", {});
  const StatFigures f = measured(effect, {0.5f, -0.25f, 0.5f, 0.0f}, 1, 4).figures();
  const std::string text = stat_text(f, SampleEncoding::other);
  CHECK(text.rfind("Samples read:                 4\nLength (seconds):      1.000000\n"
                   "Scaled by:         2147483647.0\nMaximum amplitude:     0.500000\n",
                   0) == 0);
  CHECK(text.find("Minimum delta:         0.000000\n") != std::string::npos);
  // Outer quarters 2 against inner 2: x = 1, between 0.5 and 2: sox suggests mu-law.
  CHECK(text.find("\nTry: -t raw -e mu-law -b 8 \n") != std::string::npos);
  CHECK(stat_text(f, SampleEncoding::mu_law).find("unsigned-integer") != std::string::npos);
  StatFigures v = f;
  v.options.volume_only = true;
  CHECK(stat_text(v, SampleEncoding::other) == "2.000\n");
  StatFigures negative = f; // only negative samples: sox calls it text
  negative.quarters = {1, 3, 0, 0};
  CHECK(stat_text(negative, SampleEncoding::other).find("Probably text, not sound") !=
        std::string::npos);
}

TEST_CASE("stats on 0.5 0.5 -0.5 -0.5 0.5: levels and peaks and flat factor and bit depth") {
  StatsEffect effect("stats", {});
  const auto f = measured(effect, {0.5f, 0.5f, -0.5f, -0.5f, 0.5f}, 1, 5, 48000).figures();
  REQUIRE(f);
  CHECK(f->channels.empty()); // one channel: Overall only
  const StatsColumn& o = f->overall;
  CHECK(o.dc_offset == doctest::Approx(0.1));
  CHECK(o.min_level == -0.5);
  CHECK(o.max_level == 0.5);
  CHECK(o.peak_db == doctest::Approx(20 * std::log10(0.5)));
  CHECK(o.rms_db == doctest::Approx(20 * std::log10(0.5)));
  REQUIRE(o.crest_factor);
  CHECK(*o.crest_factor == doctest::Approx(1.0));
  // Runs at the max: 2 then 1 (squares 5); at the min: 2 (4); 5 samples at a peak.
  CHECK(o.flat_factor == doctest::Approx(20 * std::log10(9.0 / 5)));
  CHECK(o.peak_count == 5);
  // +-2^30: the lowest bit set is bit 30 (2 bits used), and the levels span 1 bit.
  CHECK(o.bit_depth == 1);
  CHECK(o.bit_depth_used == 2);
  // Shorter than the window (5 x 0.05 s): the windowed RMS is the whole RMS.
  REQUIRE(o.rms_trough_db);
  CHECK(o.rms_peak_db == doctest::Approx(o.rms_db));
  CHECK(*o.rms_trough_db == doctest::Approx(o.rms_db));
  CHECK(f->samples == 5);
  CHECK(f->seconds == 5.0 / 48000);
}

TEST_CASE("stats with two channels: a column each and the Overall's sox rules") {
  StatsEffect effect("stats", {});
  // Left: 0.25 constant (mean 0.25); right: -0.5 0.5 (mean 0).
  const auto f = measured(effect, {0.25f, -0.5f, 0.25f, 0.5f}, 2, 1).figures();
  REQUIRE(f);
  REQUIRE(f->channels.size() == 2);
  CHECK(f->channels[0].dc_offset == 0.25);
  CHECK(f->channels[1].dc_offset == 0.0);
  CHECK(f->overall.dc_offset == 0.25); // the channel mean furthest from 0, not the mean of all
  CHECK(f->overall.min_level == -0.5);
  CHECK(f->overall.max_level == 0.5);
  CHECK(!f->overall.crest_factor); // sox prints "-" for several channels
  CHECK(f->channels[0].crest_factor);
  // Left: 2 at its min and 2 at its max (the same samples); right: 1 and 1. Per channel: 3.
  CHECK(f->overall.peak_count == 3);
  CHECK(f->samples == 2);
  const std::string text = stats_text(*f);
  CHECK(text.rfind("             Overall     Left      Right\nDC offset   0.250000  0.250000"
                   "  0.000000\n",
                   0) == 0);
  CHECK(text.find("\nCrest factor       -      1.00      1.00\n") != std::string::npos);
  CHECK(text.find("\nNum samples        2\n") != std::string::npos);
}

TEST_CASE("stats' text: -x and -b print levels as integers and three channels are Ch1 to Ch3") {
  StatsOptions hex;
  hex.scale_bits = 16, hex.hex = true;
  StatsEffect effect("stats -x 16", hex);
  const auto f = measured(effect, {0.5f, -0.25f, 0.0f}, 3, 1).figures();
  REQUIRE(f);
  const std::string text = stats_text(*f);
  CHECK(text.rfind("             Overall     Ch1       Ch2       Ch3  \n", 0) == 0);
  CHECK(text.find("\nMin level      -2000      4000     -2000         0\n") != std::string::npos);
  CHECK(text.find("\nScale max       7fff\n") != std::string::npos);
  StatsFigures decimal = *f;
  decimal.options.hex = false;
  CHECK(stats_text(decimal).find("\nMax level      16384     16384     -8192         0\n") !=
        std::string::npos);
}

TEST_CASE("stats of no audio has no figures") {
  StatsEffect effect("stats", {});
  effect.configure({2, 48000, 16});
  CHECK(!effect.figures());
}

TEST_CASE("sox_sigfigs3 writes three significant figures as sox does") {
  CHECK(sox_sigfigs3(136270) == "136k");
  CHECK(sox_sigfigs3(96000) == "96.0k");
  CHECK(sox_sigfigs3(44100) == "44.1k");
  CHECK(sox_sigfigs3(1980) == "1.98k");
  CHECK(sox_sigfigs3(2) == "2");
  CHECK(sox_sigfigs3(198) == "198");
  CHECK(sox_sigfigs3(67.6667) == "67.7");
  CHECK(sox_sigfigs3(0.5) == "0.500");
  CHECK(sox_sigfigs3(2.5e6) == "2.50M");
}

TEST_CASE("the parser takes stat's and stats' options and refuses bad ones with ChainSyntaxError") {
  CHECK(parse_effect_chain({"stat", "-s", "1", "-rms", "-v"}).effects().size() == 1);
  CHECK(parse_effect_chain({"stats", "-b16", "-w", "0.1", "-s", "2"}).effects().size() == 1);
  CHECK(parse_effect_chain({"stats", "stat", "gain", "-3", "stats"}).effects().size() == 4);
  const std::vector<std::vector<std::string>> bad{
      {"stat", "-freq"},      {"stat", "-d"},        {"stat", "-s"},        {"stat", "-s", "x"},
      {"stat", "-s", "0"},    {"stat", "1"},         {"stats", "1"},        {"stats", "-b"},
      {"stats", "-b", "1"},   {"stats", "-x", "33"}, {"stats", "-w", "0"},  {"stats", "-w", "11"},
      {"stats", "-s", "100"}, {"stats", "-q"},       {"stats", "-b", "nan"}};
  for (const auto& words : bad) {
    CAPTURE(words.back());
    CHECK_THROWS_AS(parse_effect_chain(words), ChainSyntaxError);
  }
}
