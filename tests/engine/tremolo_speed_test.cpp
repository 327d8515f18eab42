// tests/engine/tremolo_speed_test.cpp - sox's tremolo (synth's cosine modulator, its depth and
// headroom) and speed (a relabelled rate, resampled back by an automatic rate effect): the
// envelope, the length and pitch, block-size invariance and the parser's refusals.
#include "engine/dsp/chain_parser.hpp"
#include "engine/dsp/effect_chain.hpp"
#include "engine/dsp/offline_effects.hpp"
#include "engine/dsp/simple_effects.hpp"
#include "engine/dsp/synth_effect.hpp"
#include "tests/engine/chain_runner.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <vector>

using namespace rc;

namespace {

/// Returns: mono `input` at `rate` through the chain `words`, fed in blocks of `block` frames,
/// flushed.
std::vector<float> run(const std::vector<std::string>& words, const std::vector<float>& input,
                       double rate, std::size_t block) {
  return test::run_chain(words, input, {1, rate, block});
}

std::vector<float> sine(double frequency, double rate, std::size_t frames) {
  std::vector<float> out(frames);
  for (std::size_t i = 0; i < frames; ++i)
    out[i] =
        0.5f * static_cast<float>(std::sin(2 * std::numbers::pi * frequency * double(i) / rate));
  return out;
}

/// Returns: the frequency of `x` at `rate` from its rising zero crossings between `from` and
/// `to` (interpolated), Hz.
double frequency_of(const std::vector<float>& x, double rate, std::size_t from, std::size_t to) {
  double first = -1, last = -1;
  int crossings = 0;
  for (std::size_t i = from + 1; i < to; ++i)
    if (x[i - 1] < 0 && x[i] >= 0) {
      const double at = double(i - 1) + double(-x[i - 1]) / double(x[i] - x[i - 1]);
      if (first < 0) first = at;
      last = at;
      ++crossings;
    }
  REQUIRE(crossings > 2);
  return (crossings - 1) * rate / (last - first);
}

} // namespace

TEST_CASE("tremolo multiplies a constant by sox's cosine envelope between 1 - depth and 1") {
  const double rate = 1000;
  const std::vector<float> in(2000, 0.5f);
  const auto out = run({"tremolo", "5", "40"}, in, rate, 256);
  REQUIRE(out.size() == in.size());
  CHECK(out[0] == doctest::Approx(0.5).epsilon(1e-7));   // a cosine: full level first
  CHECK(out[100] == doctest::Approx(0.3).epsilon(1e-7)); // half a period: 1 - 40 %
  for (std::size_t n = 0; n < out.size(); ++n) {
    const double expected =
        0.5 * (std::sin(2 * std::numbers::pi * (5 * double(n) / rate + 0.25)) * 0.2 + 0.8);
    REQUIRE(out[n] == doctest::Approx(expected).epsilon(1e-6));
  }
  // The default depth is 40; depth 100 reaches silence.
  CHECK(run({"tremolo", "5"}, in, rate, 64) == out);
  const auto full = run({"tremolo", "5", "100"}, in, rate, 64);
  CHECK(std::fabs(full[100]) < 1e-7);
}

TEST_CASE("tremolo rounds its offset as sox prints it with %g") {
  // 100 - 33.33333 / 2 = 83.333335, printed "83.3333": the offset is 0.833333.
  const TremoloEffect t("tremolo 1 33.33333", 1, 33.33333);
  CHECK(t.offset() == 0.833333);
}

TEST_CASE("tremolo gives the same output whatever the block size") {
  const auto in = sine(440, 48000, 10000);
  const auto whole = run({"tremolo", "7.5", "80"}, in, 48000, 10000);
  CHECK(run({"tremolo", "7.5", "80"}, in, 48000, 1) == whole);
  CHECK(run({"tremolo", "7.5", "80"}, in, 48000, 333) == whole);
}

TEST_CASE("tremolo's fast modulator stays within 1e-9 of sox's per-frame sine for 10 minutes") {
  // SynthChannel::value is sox's synth arithmetic frame by frame (a sin() each); the modulator
  // rotates and re-seeds. Depth 100 (offset 0.5): the sine at its largest share.
  const double rate = 48000;
  const std::uint64_t frames = 10ull * 60 * 48000;
  const std::size_t pieces[] = {4099, 1, 1000, 3, 2048};
  for (const double speed : {0.0, 0.1, 5.0, 4000.0}) {
    CAPTURE(speed);
    SynthChannel reference;
    reference.combine = SynthCombine::fmod;
    reference.freq = reference.freq2 = speed;
    reference.offset = 0.5;
    reference.phase = 0.25;
    SoxRandom unused;
    reference.prepare(0, rate, unused);
    TremoloModulator fast;
    fast.configure(speed, rate, 0.5);
    std::vector<double> values(4099);
    double worst = 0;
    std::uint64_t n = 0;
    for (std::size_t k = 0; n < frames; ++k) {
      const auto piece = static_cast<std::size_t>(
          std::min<std::uint64_t>(pieces[k % std::size(pieces)], frames - n));
      fast.fill(values.data(), piece, 0.75);
      for (std::size_t i = 0; i < piece; ++i, ++n)
        worst = std::max(worst, std::fabs(values[i] - reference.value(n, rate, unused) * 0.75));
    }
    CHECK(fast.position() == frames);
    MESSAGE("speed " << speed << " Hz: max |fast - per-frame| = " << worst);
    CHECK(worst <= 1e-9);
    if (speed == 0) CHECK(worst == 0);
  }
}

TEST_CASE("tremolo makes headroom for a later rate up to an effect that sets the gain") {
  EffectChain lowered = parse_effect_chain({"tremolo", "5", "speed", "2"});
  lowered.configure({1, 48000, 64});
  REQUIRE(lowered.effects().size() == 3); // speed's automatic rate was added
  CHECK(dynamic_cast<const TremoloEffect&>(*lowered.effects()[0]).gain_factor() ==
        doctest::Approx(0.705));
  EffectChain kept = parse_effect_chain({"tremolo", "5", "vol", "2", "speed", "2"});
  kept.configure({1, 48000, 64});
  CHECK(dynamic_cast<const TremoloEffect&>(*kept.effects()[0]).gain_factor() == 1);
}

TEST_CASE("speed 2 halves the length and doubles a sine's frequency") {
  const double rate = 48000;
  const auto in = sine(1000, rate, 48000);
  const auto out = run({"speed", "2"}, in, rate, 4096);
  CHECK(out.size() == 24000);
  CHECK(frequency_of(out, rate, 2000, 22000) == doctest::Approx(2000).epsilon(1e-4));
  const auto down = run({"speed", "-1200c"}, in, rate, 4096); // an octave down
  CHECK(down.size() == 96000);
  CHECK(frequency_of(down, rate, 2000, 94000) == doctest::Approx(500).epsilon(1e-4));
}

TEST_CASE("speed gives the same output whatever the block size") {
  const auto in = sine(440, 44100, 20000);
  for (const char* factor : {"1.1", "0.7", "-300c"}) {
    CAPTURE(factor);
    const auto whole = run({"speed", factor}, in, 44100, 20000);
    CHECK(run({"speed", factor}, in, 44100, 1) == whole);
    CHECK(run({"speed", factor}, in, 44100, 777) == whole);
  }
}

TEST_CASE("speed adds sox's automatic rate only where the rates differ") {
  const auto count = [](const std::vector<std::string>& words) {
    EffectChain chain = parse_effect_chain(words);
    chain.configure({1, 44100, 64});
    return chain.effects().size();
  };
  CHECK(count({"speed", "1"}) == 1);
  CHECK(count({"speed", "0c"}) == 1);
  CHECK(count({"speed", "2", "speed", "0.5"}) == 2);
  CHECK(count({"speed", "2", "rate", "48000"}) == 2);
  CHECK(count({"rate", "22050", "speed", "2"}) == 3);
  CHECK_FALSE(parse_effect_chain({"speed", "1"}).first_offline_only());
  CHECK(parse_effect_chain({"speed", "1.01"}).first_offline_only());
  // Before a dither, as sox puts it.
  EffectChain dithered = parse_effect_chain({"speed", "2", "dither"});
  dithered.set_output_bits(16); // a dither with something to do
  dithered.configure({1, 44100, 64});
  REQUIRE(dithered.effects().size() == 3);
  CHECK(dynamic_cast<const RateEffect*>(dithered.effects()[1].get()));
}

TEST_CASE("effects after speed place positions at its rate") {
  // 4 s at 48 kHz become 2 s at 96 kHz: trim -1 keeps the last 96000 frames, 1 s once resampled.
  const auto in = sine(440, 48000, 192000);
  CHECK(run({"speed", "2", "trim", "-1"}, in, 48000, 4096).size() == 48000);
}

TEST_CASE("tremolo and speed refuse what sox refuses and what cannot work") {
  const std::vector<std::vector<std::string>> bad{{"tremolo"},
                                                  {"tremolo", "-1"},
                                                  {"tremolo", "-0"},
                                                  {"tremolo", "nan"},
                                                  {"tremolo", "inf"},
                                                  {"tremolo", "1e308"},
                                                  {"tremolo", "5k"},
                                                  {"tremolo", "5", "0"},
                                                  {"tremolo", "5", "-10"},
                                                  {"tremolo", "5", "101"},
                                                  {"tremolo", "5", "nan"},
                                                  {"tremolo", "5", "40", "1"},
                                                  {"speed"},
                                                  {"speed", "0"},
                                                  {"speed", "-1"},
                                                  {"speed", "nan"},
                                                  {"speed", "inf"},
                                                  {"speed", "2x"},
                                                  {"speed", "c"},
                                                  {"speed", "2C"},
                                                  {"speed", "1e308"},
                                                  {"speed", "1e-300"},
                                                  {"speed", "9601c"},
                                                  {"speed", "nanc"},
                                                  {"speed", "1", "2"},
                                                  {"speed", "1 c"}};
  for (const auto& words : bad) {
    CAPTURE(words.size() > 1 ? words[1] : words[0]);
    CHECK_THROWS_AS(parse_effect_chain(words), ChainSyntaxError);
  }
  CHECK_NOTHROW(parse_effect_chain({"tremolo", "0"}));
  CHECK_NOTHROW(parse_effect_chain({"tremolo", "5", "100"}));
  CHECK_NOTHROW(parse_effect_chain({"speed", "-200c"}));
  CHECK_NOTHROW(parse_effect_chain({"speed", "256"}));
}
