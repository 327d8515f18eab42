// Specification of the effects: filter responses, the limiter's ceiling, fades, channel
// operations, dither size, and the chain's rules for live use.
#include "engine/dsp/biquad.hpp"
#include "engine/dsp/chain_parser.hpp"
#include "engine/dsp/channel_effects.hpp"
#include "engine/dsp/offline_effects.hpp"
#include "engine/dsp/simple_effects.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

using namespace rc;

namespace {

// |H(e^jw)| of a biquad at `frequency`.
double magnitude(const BiquadCoefficients& c, double frequency, double rate) {
  const double w = 2 * std::numbers::pi * frequency / rate;
  const std::complex<double> z1 = std::polar(1.0, -w), z2 = std::polar(1.0, -2 * w);
  return std::abs((c.b0 + c.b1 * z1 + c.b2 * z2) / (1.0 + c.a1 * z1 + c.a2 * z2));
}

double db(double x) { return 20 * std::log10(x); }

std::vector<float> sine(double frequency, double rate, std::size_t frames, int channels,
                        float amp) {
  std::vector<float> out(frames * static_cast<std::size_t>(channels));
  for (std::size_t i = 0; i < frames; ++i)
    for (int c = 0; c < channels; ++c)
      out[i * channels + c] =
          amp * static_cast<float>(std::sin(2 * std::numbers::pi * frequency * double(i) / rate));
  return out;
}

EffectChain configured(const std::vector<std::string>& words, int channels = 2,
                       std::size_t max = 4096) {
  EffectChain chain = parse_effect_chain(words);
  chain.configure({channels, 48000, max});
  return chain;
}

} // namespace

TEST_CASE("Butterworth high- and low-pass are -3 dB at the corner and flat far from it") {
  const Width q{std::sqrt(0.5), WidthUnit::q};
  const auto hp = design_biquad(BiquadShape::highpass, 80, q, 0, 48000);
  CHECK(db(magnitude(hp, 80, 48000)) == doctest::Approx(-3.01).epsilon(0.01));
  CHECK(db(magnitude(hp, 8000, 48000)) == doctest::Approx(0).epsilon(0.01));
  CHECK(db(magnitude(hp, 20, 48000)) < -20);
  const auto lp = design_biquad(BiquadShape::lowpass, 1000, q, 0, 48000);
  CHECK(db(magnitude(lp, 1000, 48000)) == doctest::Approx(-3.01).epsilon(0.01));
  CHECK(db(magnitude(lp, 20, 48000)) == doctest::Approx(0).epsilon(0.01));
}

TEST_CASE("equalizer and shelves reach their gain") {
  const auto eq = design_biquad(BiquadShape::equalizer, 1000, {1, WidthUnit::q}, 6, 48000);
  CHECK(db(magnitude(eq, 1000, 48000)) == doctest::Approx(6).epsilon(0.001));
  const auto bass = design_biquad(BiquadShape::bass, 100, {0.5, WidthUnit::slope}, -8, 48000);
  CHECK(db(magnitude(bass, 10, 48000)) == doctest::Approx(-8).epsilon(0.02));
  CHECK(std::abs(db(magnitude(bass, 10000, 48000))) < 0.1);
  const auto treble = design_biquad(BiquadShape::treble, 3000, {0.5, WidthUnit::slope}, 5, 48000);
  CHECK(db(magnitude(treble, 23000, 48000)) == doctest::Approx(5).epsilon(0.02));
}

TEST_CASE("a frequency at or above Nyquist is refused when configured") {
  EffectChain chain = parse_effect_chain({"lowpass", "24000"});
  CHECK_THROWS_WITH_AS(chain.configure({2, 48000, 64}), doctest::Contains("lowpass 24000"),
                       std::invalid_argument);
}

TEST_CASE("the fused biquad cascade gives what one filter after another gives") {
  auto input = sine(440, 48000, 4096, 2, 0.5f);
  for (std::size_t i = 0; i < input.size(); i += 7) input[i] += 0.3f; // some broadband content
  std::vector<std::string> words{"highpass", "80", "equalizer", "1000",
                                 "1q",       "3",  "lowpass",   "15000"};
  EffectChain fused = configured(words);
  std::vector<float> a = input;
  fused.process({a.data(), 4096, 2});
  std::vector<float> b = input;
  EffectChain chain = configured(words);
  for (const auto& e : chain.effects()) e->process({b.data(), 4096, 2});
  float worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(a[i] - b[i]));
  CHECK(worst < 1e-6f); // float rounding, far below the 1e-5 promised against sox
}

TEST_CASE("the limiter never lets a sample past its ceiling") {
  EffectChain chain = configured({"limit", "-6", "20"});
  auto x = sine(100, 48000, 48000, 2, 1.5f);
  chain.process({x.data(), 48000, 2});
  const float ceiling = static_cast<float>(std::pow(10.0, -6.0 / 20));
  float peak = 0;
  for (float v : x) peak = std::max(peak, std::fabs(v));
  CHECK(peak <= ceiling);
  CHECK(peak > ceiling * 0.99f);
}

TEST_CASE("fade in starts from silence and a fade-out ends the audio at its stop position") {
  EffectChain chain = configured({"fade", "t", "100s", "1000s", "200s"});
  std::vector<float> x(2 * 2048, 1.0f);
  const AudioBlock out = chain.process({x.data(), 2048, 2});
  CHECK(out.frames == 1000);
  CHECK(x[0] == 0.0f);
  CHECK(x[2 * 50] == doctest::Approx(0.5));
  CHECK(x[2 * 500] == 1.0f);
  CHECK(x[2 * 900] == doctest::Approx(0.5));
  CHECK(x[2 * 999] == doctest::Approx(1.0 / 200));
}

TEST_CASE("remix scales by 1/n, honours volumes and builds silent channels - swap swaps pairs") {
  EffectChain chain = configured({"remix", "1,2", "2v0.5", "0"});
  std::vector<float> x{0.2f, 0.6f};
  const AudioBlock out = chain.process({x.data(), 1, 2});
  REQUIRE(out.channels == 3);
  CHECK(out.data[0] == doctest::Approx(0.4));
  CHECK(out.data[1] == doctest::Approx(0.3));
  CHECK(out.data[2] == 0.0f);

  EffectChain swap = configured({"swap"}, 3);
  std::vector<float> y{1, 2, 3};
  swap.process({y.data(), 1, 3});
  CHECK(y == std::vector<float>{2, 1, 3});
}

TEST_CASE("dither adds at most one LSB each way, on average nothing") {
  EffectChain chain = configured({"dither", "16"});
  std::vector<float> x(2 * 48000, 0.0f);
  chain.process({x.data(), 48000, 2});
  double sum = 0, peak = 0;
  for (float v : x) sum += v, peak = std::max(peak, double(std::fabs(v)));
  CHECK(peak <= 2.0 / 32768);
  CHECK(peak > 0);
  CHECK(std::abs(sum / double(x.size())) < 1e-6);
}

TEST_CASE("dither without BITS targets the output's depth and drops out where sox's does") {
  // Returns: the chain's effects once configured for an output of `bits` (0: float) with samples
  // of `precision` bits coming in.
  const auto kept = [](const std::vector<std::string>& words, int bits, int precision) {
    EffectChain chain = parse_effect_chain(words);
    chain.set_output_bits(bits);
    chain.set_input_precision(precision);
    chain.configure({2, 48000, 64});
    return chain.description();
  };
  CHECK(kept({"dither"}, 16, 25) == "dither 16"); // float to 16 bits
  CHECK(kept({"dither"}, 16, 24) == "dither 16"); // 24 to 16
  CHECK(kept({"dither"}, 0, 25).empty());         // float to float: no effect, dropped
  CHECK(kept({"dither"}, 32, 25).empty());        // a 32-bit target is above 24 bits
  CHECK(kept({"dither"}, 16, 16).empty());        // 16 to 16: nothing deeper reaches it
  CHECK(kept({"dither"}, 24, 16).empty());
  CHECK(kept({"gain", "-1", "dither"}, 16, 16) == "gain -1 dither 16"); // gain computes anew
  CHECK(kept({"dither", "-p", "8"}, 0, 25) == "dither 8");
  CHECK(kept({"dither", "-p12"}, 16, 25) == "dither 12");
  CHECK(kept({"dither", "-p", "16"}, 16, 16).empty());
  CHECK(kept({"dither", "20"}, 16, 16).empty()); // BITS is -p BITS
  // A dropped dither makes no headroom: gain -h keeps its level.
  EffectChain chain = parse_effect_chain({"gain", "-h", "dither"});
  chain.configure({2, 48000, 64});
  REQUIRE(chain.effects().size() == 1);
  CHECK(dynamic_cast<const HeadroomGain&>(*chain.effects()[0]).gain_factor() == 1);
  // And passes the audio unchanged (configured on its own, as the chain would not keep it).
  DitherEffect idle(0);
  idle.set_output_bits(0);
  idle.configure({1, 48000, 4});
  CHECK(idle.has_no_effect());
  CHECK(idle.headroom_factor() == 1);
  std::vector<float> x{0.1f, -0.2f, 0.3f, 0.0f};
  const std::vector<float> copy = x;
  idle.process({x.data(), 4, 1});
  CHECK(x == copy);
  for (const auto& bad : std::vector<std::vector<std::string>>{{"dither", "-p"},
                                                               {"dither", "-p", "0"},
                                                               {"dither", "-p", "1"},
                                                               {"dither", "-p", "25"},
                                                               {"dither", "-p", "nan"},
                                                               {"dither", "-p", "16", "extra"},
                                                               {"dither", "-p16", "extra"},
                                                               {"dither", "-s"},
                                                               {"dither", "16", "-p", "16"}}) {
    CAPTURE(bad.back());
    CHECK_THROWS_AS(parse_effect_chain(bad), ChainSyntaxError);
  }
}

TEST_CASE("norm measures first, then scales the peak to its target") {
  EffectChain chain = configured({"norm", "-6"});
  auto x = sine(100, 48000, 4800, 1, 0.25f);
  auto measure = x;
  chain.process({measure.data(), 4800, 1});
  REQUIRE(chain.norms_to_measure().size() == 1);
  chain.norms_to_measure().front()->apply();
  chain.process({x.data(), 4800, 1});
  float peak = 0;
  for (float v : x) peak = std::max(peak, std::fabs(v));
  CHECK(db(peak) == doctest::Approx(-6).epsilon(0.001));
}

// Runs the measuring pass of every measured gain in `chain` on `x` (frames of `channels`), then
// processes `x` for real.
void measure_then_process(EffectChain& chain, std::vector<float>& x, int channels) {
  const std::size_t frames = x.size() / std::size_t(channels);
  while (!chain.norms_to_measure().empty()) {
    auto copy = x;
    chain.reset();
    chain.process({copy.data(), frames, channels});
    (void)chain.norms_to_measure().front()->apply();
  }
  chain.reset();
  chain.process({x.data(), frames, channels});
}

// Returns: the largest |sample| of channel `c` of interleaved stereo `x`.
float channel_peak(const std::vector<float>& x, std::size_t c) {
  float peak = 0;
  for (std::size_t i = c; i < x.size(); i += 2) peak = std::max(peak, std::fabs(x[i]));
  return peak;
}

TEST_CASE("gain -e brings every channel's peak to the loudest, -en each to full scale") {
  std::vector<float> x = sine(100, 48000, 4800, 2, 0.5f);
  for (std::size_t i = 1; i < x.size(); i += 2) x[i] *= 0.5f; // right: peak 0.25
  auto e = x;
  EffectChain chain = configured({"gain", "-e"});
  measure_then_process(chain, e, 2);
  CHECK(channel_peak(e, 0) == doctest::Approx(channel_peak(x, 0)).epsilon(1e-6));
  CHECK(channel_peak(e, 1) == doctest::Approx(channel_peak(x, 0)).epsilon(1e-6));
  auto en = x;
  chain = configured({"gain", "-en", "-6"});
  measure_then_process(chain, en, 2);
  CHECK(db(channel_peak(en, 0)) == doctest::Approx(-6).epsilon(1e-4));
  CHECK(db(channel_peak(en, 1)) == doctest::Approx(-6).epsilon(1e-4));
}

TEST_CASE("gain -B balances the channels' power, -b also keeps the peaks in range") {
  std::vector<float> x = sine(100, 48000, 4800, 2, 0.8f);
  for (std::size_t i = 1; i < x.size(); i += 2) x[i] *= 0.25f; // right 12 dB quieter
  auto balanced = x;
  EffectChain chain = configured({"gain", "-b", "6"});
  measure_then_process(chain, balanced, 2);
  CHECK(channel_peak(balanced, 1) == doctest::Approx(channel_peak(balanced, 0)).epsilon(1e-5));
  // Balanced peaks stay below full scale here, so -b scales no further: the 6 dB apply.
  CHECK(db(channel_peak(balanced, 0)) == doctest::Approx(db(0.8) + 6).epsilon(1e-4));
  // A quiet channel with one spike: balancing its power lifts the spike past full scale.
  std::vector<float> y = sine(100, 48000, 4800, 2, 0.5f);
  for (std::size_t i = 1; i < y.size(); i += 2) y[i] *= 0.1f;
  y[2001] = 0.9f;
  auto unguarded = y, guarded = y;
  chain = configured({"gain", "-B"});
  measure_then_process(chain, unguarded, 2);
  CHECK(channel_peak(unguarded, 1) > 1.5f); // -B: no clip guard
  chain = configured({"gain", "-b"});
  measure_then_process(chain, guarded, 2);
  CHECK(channel_peak(guarded, 1) == doctest::Approx(1).epsilon(1e-6)); // the loudest at 0 dBFS
  CHECK(channel_peak(guarded, 0) < channel_peak(y, 0));                // the other one lowered too
}

TEST_CASE("gain -l never passes full scale and leaves quiet samples nearly as a plain gain") {
  EffectChain chain = configured({"gain", "-l", "12"});
  std::vector<float> x{0.9f, -0.9f, 0.001f, -0.001f, 0.0f, 1.0f};
  chain.process({x.data(), 3, 2});
  for (float v : x) CHECK(std::fabs(v) <= 1.0f);
  CHECK(x[2] == doctest::Approx(0.001 * std::pow(10.0, 12 / 20.0)).epsilon(0.01));
  CHECK(x[3] == -x[2]);
  CHECK(x[4] == 0.0f);
}

TEST_CASE("gain -h makes headroom for the boosts after it, up to an effect that sets the gain") {
  const auto gain_of = [](const EffectChain& chain, std::size_t i) {
    return dynamic_cast<const HeadroomGain&>(*chain.effects()[i]).gain_factor();
  };
  EffectChain chain = configured({"gain", "-h", "bass", "6", "equalizer", "1k", "1q", "3"});
  CHECK(db(gain_of(chain, 0)) == doctest::Approx(-9).epsilon(1e-9));
  chain = configured({"gain", "-h", "bass", "6", "gain", "0", "treble", "4"});
  CHECK(db(gain_of(chain, 0)) == doctest::Approx(-6).epsilon(1e-9)); // the second gain ends it
  chain = configured({"gain", "-h", "-2", "rate", "44100"});
  CHECK(gain_of(chain, 0) == doctest::Approx(std::pow(10.0, -0.1) * 0.705).epsilon(1e-12));
  // A 16-bit output leaves room for its rounding, as sox's output does.
  chain = parse_effect_chain({"gain", "-h", "bass", "6"});
  chain.set_output_bits(16);
  (void)chain.configure({2, 48000, 4096});
  CHECK(gain_of(chain, 0) ==
        doctest::Approx(std::pow(10.0, -0.3) * (1 - 32768 / 2147483647.0)).epsilon(1e-12));
  // vol 1 is no gain at all (sox drops it), vol 2 sets the gain.
  chain = configured({"gain", "-h", "vol", "1", "bass", "6"});
  CHECK(db(gain_of(chain, 0)) == doctest::Approx(-6).epsilon(1e-9));
  chain = configured({"gain", "-h", "vol", "2", "bass", "6"});
  CHECK(gain_of(chain, 0) == 1.0);
}

TEST_CASE("gain -r reclaims the headroom a gain -h made, as far as the peaks allow") {
  std::vector<float> x = sine(1000, 48000, 4800, 2, 0.1f);
  auto y = x;
  EffectChain chain = configured({"gain", "-h", "equalizer", "5k", "1q", "6", "gain", "-r"});
  measure_then_process(chain, y, 2);
  // The 1 kHz tone passes the 5 kHz peak nearly untouched: -h took 6 dB, -r gives them back.
  CHECK(channel_peak(y, 0) == doctest::Approx(channel_peak(x, 0)).epsilon(0.02));
  // Without a gain -h before it, or with one that made no room, -r cannot work, as in sox.
  CHECK_THROWS_AS(configured({"gain", "-r"}), std::invalid_argument);
  CHECK_THROWS_AS(configured({"gain", "-h", "remix", "1,2", "gain", "-r"}), std::invalid_argument);
  CHECK_THROWS_AS(configured({"gain", "-h", "6", "gain", "-r"}), std::invalid_argument);
}

TEST_CASE("gain refuses options sox refuses") {
  for (const auto& words : std::vector<std::vector<std::string>>{{"gain", "-x"},
                                                                 {"gain", "-e", "-B"},
                                                                 {"gain", "-nr"},
                                                                 {"gain", "-lh"},
                                                                 {"gain", "-n", "1", "2"},
                                                                 {"gain", "-n", "nan"}})
    CHECK_THROWS_AS(parse_effect_chain(words), ChainSyntaxError);
  CHECK_NOTHROW(parse_effect_chain({"gain"}));
  CHECK_NOTHROW(parse_effect_chain({"gain", "-Bn", "-.5"}));
}

TEST_CASE("effects that need the whole file are marked so live capture can refuse them") {
  CHECK(parse_effect_chain({"gain", "-3", "highpass", "80"}).first_offline_only() == nullptr);
  CHECK(parse_effect_chain({"norm"}).first_offline_only() != nullptr);
  CHECK(parse_effect_chain({"rate", "44100"}).first_offline_only() != nullptr);
  CHECK(parse_effect_chain({"fade", "1", "0"}).first_offline_only() != nullptr);
  CHECK(parse_effect_chain({"fade", "1"}).first_offline_only() == nullptr);
  // A fade-out to a fixed stop is file-only too, and known so before configure().
  CHECK(parse_effect_chain({"fade", "0", "10", "1"}).first_offline_only() != nullptr);
}

TEST_CASE("widths and frequencies that make an unstable or non-finite filter are refused") {
  // Each passes the parser (positive, finite, within the unit's range) but rounds to a pole on
  // the unit circle or to inf/NaN coefficients at 48 kHz.
  const std::vector<std::vector<std::string>> unstable{
      {"lowpass", "1e-300"},
      {"highpass", "-1", "1e-300"},
      {"equalizer", "1000", "1e-308o", "3"},
      {"bass", "3", "1e-300"},
  };
  for (const auto& words : unstable) {
    CAPTURE(words.front());
    EffectChain chain = parse_effect_chain(words);
    CHECK_THROWS_WITH_AS(chain.configure({2, 48000, 64}), doctest::Contains("unstable filter"),
                         std::invalid_argument);
  }
  // The widest and narrowest widths the parser lets through at ordinary frequencies still work.
  for (const auto& words : std::vector<std::vector<std::string>>{{"highpass", "80", "1000q"},
                                                                 {"equalizer", "1000", "100o", "3"},
                                                                 {"lowpass", "1k", "1e6h"},
                                                                 {"bass", "3", "100", "1s"},
                                                                 {"highpass", "10", "0.001q"}}) {
    CAPTURE(words.front());
    CHECK_NOTHROW(configured(words));
  }
}

TEST_CASE("rate refuses a resampling factor beyond 256 when configured") {
  EffectChain up = parse_effect_chain({"rate", "44100"});
  CHECK_THROWS_WITH_AS(up.configure({1, 1, 64}), doctest::Contains("factor of at most 256"),
                       std::invalid_argument);
  EffectChain down = parse_effect_chain({"rate", "1000"});
  CHECK_THROWS_WITH_AS(down.configure({2, 768000, 64}), doctest::Contains("factor of at most 256"),
                       std::invalid_argument);
  EffectChain fine = parse_effect_chain({"rate", "44100"});
  CHECK_NOTHROW(fine.configure({2, 8000, 64}));
}

TEST_CASE("bad chains are refused with the effect and the value named") {
  const std::vector<std::pair<std::vector<std::string>, const char*>> bad{
      {{"reverb"}, "unknown effect 'reverb'"},
      {{"gain", "1", "2"}, "unexpected argument '2'"},
      {{"gain", "nan"}, "'nan' is not a number"},
      {{"gain", "1e999"}, "'1e999' is not a number"},
      {{"highpass", "0"}, "must be above 0"},
      {{"highpass", "80", "0q"}, "must be above 0"},
      {{"highpass", "80", "1x"}, "suffix"},
      {{"equalizer", "1000", "1q"}, "missing argument"},
      {{"bass", "3", "100", "2s"}, "slope"},
      {{"limit", "3"}, "out of range"},
      {{"fade", "abc"}, "not a duration"},
      {{"remix", "x"}, "channel 'x'"},
      {{"remix", "-1p10001"}, "within +-200 dB"}, // found by fuzz/effect_chain: +10001 dB is inf
      {{"remix", "1v1e11"}, "within +-1e10"},
      {{"rate", "10"}, "between 1000 and 768000"},
      {{"dither", "1.5"}, "out of range"},
      // Hostile input (tests/process/hostile_input.sh): huge, tiny and malformed values.
      {{"highpass", "80", "1e308"}, "width 1e308 is too large"},
      {{"highpass", "80", "1e308o"}, "too large"},
      {{"equalizer", "1000", "1e308h", "3"}, "too large"},
      {{"treble", "3", "3000", "1e308q"}, "too large"},
      {{"highpass", "80", "infq"}, "not a number"},
      {{"fade", "1e308"}, "too long"},
      {{"fade", "1", "99999999999999:00"}, "too long"},
      {{"fade", "1e308s"}, "too large"},
      {{"fade", "1.5s"}, "whole number"},
      {{"rate", "-x", "44100"}, "option '-x' is not supported"},
      {{"rate", "-1"}, "must be above 0"},
      {{"gain", "-inf"}, "unknown option '-i'"}, // sox too reads -inf as options
      {{"limit", "-1", "1e308"}, "out of range"},
  };
  for (const auto& [words, message] : bad) {
    CAPTURE(words.front());
    CHECK_THROWS_WITH_AS(parse_effect_chain(words), doctest::Contains(message), ChainSyntaxError);
  }
}
