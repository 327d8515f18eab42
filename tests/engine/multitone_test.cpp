// tests/engine/multitone_test.cpp - the round-trip analyzer finds known delays, polarity and
// silence in synthetic signals (no audio device: the signal is delayed analytically).
#include "engine/latency/multitone.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

using rc::MultiTone;
using rc::RoundTripAnalyzer;
using rc::RoundTripEstimate;

namespace {

// The test signal delayed by a real number of frames, computed from its definition (so a
// fractional delay is exact, not interpolated), times `gain`, plus optional noise.
std::vector<float> received(double delay, std::size_t frames, double gain = 1.0,
                            double noise_rms = 0.0, std::uint32_t seed = 1) {
  std::vector<float> out(frames);
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, noise_rms > 0 ? noise_rms : 1.0);
  const double L = double(MultiTone::period);
  for (std::size_t t = 0; t < frames; ++t) {
    double sum = 0;
    if (double(t) >= delay)
      for (std::size_t k = 0; k < MultiTone::tone_count; ++k)
        sum += MultiTone::amplitude *
               std::cos(2 * std::numbers::pi * MultiTone::bins[k] * (double(t) - delay) / L +
                        MultiTone::start_phase(k));
    out[t] = static_cast<float>(gain * sum + (noise_rms > 0 ? noise(rng) * noise_rms : 0.0));
  }
  return out;
}

std::vector<RoundTripEstimate> analyze(const std::vector<float>& input, std::size_t block = 256) {
  RoundTripAnalyzer analyzer;
  for (std::size_t i = 0; i < input.size(); i += block)
    analyzer.add(i, std::span(input).subspan(i, std::min(block, input.size() - i)));
  return analyzer.take();
}

} // namespace

TEST_CASE("the table is the sum of the tones and stays well inside full scale") {
  const MultiTone signal;
  const std::vector<float> direct = received(0.0, MultiTone::period);
  float peak = 0;
  for (std::size_t i = 0; i < MultiTone::period; ++i) {
    CHECK(signal.sample(i) == doctest::Approx(direct[i]).epsilon(1e-5));
    peak = std::max(peak, std::abs(signal.sample(i)));
  }
  CHECK(signal.sample(MultiTone::period + 5) == signal.sample(5)); // periodic
  CHECK(peak < 0.5f);
}

TEST_CASE("integer and fractional delays are found to well within 0.05 frame") {
  for (const double delay : {0.0, 1.0, 128.0, 256.0, 512.0, 1000.25, 3333.7, 12000.5}) {
    CAPTURE(delay);
    const auto estimates = analyze(received(delay, 4 * MultiTone::period));
    REQUIRE(estimates.size() >= 4);
    for (const RoundTripEstimate& e : estimates) {
      CHECK(e.status == RoundTripEstimate::Status::ok);
      CHECK(std::abs(e.frames - delay) < 0.01);
      CHECK(e.gain_db == doctest::Approx(0.0).epsilon(0.01));
    }
  }
}

TEST_CASE("a measurement arrives every quarter period once a steady period has been seen") {
  const auto estimates = analyze(received(100.0, 3 * MultiTone::period));
  // Windows end at 4, 5, ... quarters; the first two contain the signal's start and are skipped.
  REQUIRE(!estimates.empty());
  for (std::size_t i = 1; i < estimates.size(); ++i)
    CHECK(estimates[i].end_frame - estimates[i - 1].end_frame == MultiTone::period / 4);
}

TEST_CASE("inverted polarity is reported with the right delay, not as an 8-frame error") {
  const auto estimates = analyze(received(512.0, 3 * MultiTone::period, -1.0));
  REQUIRE(!estimates.empty());
  for (const RoundTripEstimate& e : estimates) {
    CHECK(e.status == RoundTripEstimate::Status::inverted);
    CHECK(std::abs(e.frames - 512.0) < 0.01);
  }
}

TEST_CASE("silence and a far-too-quiet signal are 'no signal'") {
  for (const double gain : {0.0, 1e-4}) {
    const auto estimates = analyze(received(64.0, 3 * MultiTone::period, gain));
    REQUIRE(!estimates.empty());
    for (const RoundTripEstimate& e : estimates)
      CHECK(e.status == RoundTripEstimate::Status::no_signal);
  }
}

TEST_CASE("moderate noise and gain still measure; noise burying the tones is ambiguous") {
  const auto quiet = analyze(received(777.0, 3 * MultiTone::period, 0.3, 0.01));
  REQUIRE(!quiet.empty());
  for (const RoundTripEstimate& e : quiet) {
    CHECK(e.status == RoundTripEstimate::Status::ok);
    CHECK(std::abs(e.frames - 777.0) < 0.05);
    CHECK(e.gain_db == doctest::Approx(20 * std::log10(0.3)).epsilon(0.02));
    CHECK(e.snr_db > 10);
  }
  const auto buried = analyze(received(777.0, 3 * MultiTone::period, 0.01, 0.5, 7));
  std::size_t ambiguous = 0;
  for (const RoundTripEstimate& e : buried)
    ambiguous += e.status == RoundTripEstimate::Status::ambiguous;
  CHECK(ambiguous > 0);
}

TEST_CASE("a break in the timeline restarts the windows") {
  const std::vector<float> input = received(300.0, 3 * MultiTone::period);
  RoundTripAnalyzer analyzer;
  analyzer.add(0, std::span(input).first(MultiTone::period * 2));
  const std::size_t before = analyzer.take().size();
  // The next samples claim to start 10 frames late: no window may span the break.
  analyzer.add(MultiTone::period * 2 + 10, std::span(input).subspan(MultiTone::period * 2));
  CHECK(before > 0);
  CHECK(analyzer.take().empty()); // less than a full period after the next quarter boundary
}
