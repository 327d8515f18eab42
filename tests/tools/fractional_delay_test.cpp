// Specification of jack_path's DSP (fractional_delay.hpp): the delay it claims is the delay it
// makes, to 1e-4 frame at the frequencies `ringcorder latency` measures with, or the latency
// tests built on it would test the simulator instead of ringcorder.
#include "tests/tools/fractional_delay.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <numbers>
#include <optional>
#include <vector>

using namespace rc::test;

namespace {

constexpr double two_pi = 2 * std::numbers::pi;
constexpr double inf = std::numeric_limits<double>::infinity();
// The latency signal's period and the bins of its tones (bins 512 .. 1024 of 16384 frames).
constexpr double period = 16384;
constexpr int first_bin = 512, last_bin = 1024;

constexpr double fractions[] = {0.0, 0.25, 0.3, 0.5, 0.77};
constexpr double whole_parts[] = {31, 32, 40, 127, 1000, 5000};

// Returns: the response at `cycles_per_frame` of the whole delay (line + FIR).
std::complex<double> response(const FractionalDelay& d, double cycles_per_frame) {
  std::complex<double> sum = 0;
  for (std::size_t k = 0; k < fir_taps; ++k)
    sum += d.taps()[k] * std::polar(1.0, -two_pi * cycles_per_frame * double(d.line_frames() + k));
  return sum;
}

// Largest errors over every case, printed when RC_PRINT_ERRORS is set (for the record).
struct Worst {
  double phase_delay = 0, magnitude = 0, stream = 0;
  ~Worst() {
    if (std::getenv("RC_PRINT_ERRORS"))
      std::printf("worst: phase delay %.3g frames, |H| - 1 %.3g, streamed sine %.3g\n", phase_delay,
                  magnitude, stream);
  }
} worst;

// Returns: PathSettings with these fields (designated initializers that leave fields out are
// warned about by GCC 12's -Wmissing-field-initializers).
PathSettings settings(double delay, double gain_db = 0, bool invert = false,
                      std::optional<double> noise_dbfs = std::nullopt, std::uint64_t seed = 1) {
  PathSettings s;
  s.delay_frames = delay;
  s.gain_db = gain_db;
  s.invert = invert;
  s.noise_dbfs = noise_dbfs;
  s.seed = seed;
  return s;
}

} // namespace

TEST_CASE("a whole delay is a unit impulse behind a delay line") {
  for (double whole : whole_parts) {
    const FractionalDelay d(whole);
    CHECK(d.fraction() == 0.0);
    CHECK(d.line_frames() == std::size_t(whole) - fir_centre);
    for (std::size_t k = 0; k < fir_taps; ++k) CHECK(d.taps()[k] == (k == fir_centre ? 1.0 : 0.0));
  }
}

TEST_CASE("delays out of range are refused") {
  for (double bad : {30.999, 0.0, -5.0, max_delay_frames + 1, std::nan(""), inf})
    CHECK_THROWS_AS(FractionalDelay{bad}, std::invalid_argument);
  CHECK_NOTHROW(FractionalDelay{31.0});
  CHECK_NOTHROW(FractionalDelay{max_delay_frames});
}

TEST_CASE("the phase delay is D and the gain 1 at the latency signal's frequencies") {
  for (double whole : whole_parts)
    for (double fraction : fractions) {
      const double delay = whole + fraction;
      const FractionalDelay d(delay);
      CAPTURE(delay);
      // Unwrapped phase: from DC (where the response is real and positive) bin by bin; a bin
      // step turns the phase by 2 pi D / 16384, under pi for every D tested, so no wrap is missed.
      std::complex<double> previous = response(d, 0);
      REQUIRE(previous.real() > 0);
      REQUIRE(std::abs(previous.imag()) < 1e-12);
      double phase = 0;
      for (int bin = 1; bin <= last_bin; ++bin) {
        const double nu = bin / period;
        const std::complex<double> h = response(d, nu);
        phase += std::arg(h / previous);
        previous = h;
        if (bin < first_bin) continue;
        const double phase_delay = -phase / (two_pi * nu);
        CAPTURE(bin);
        CHECK(std::abs(phase_delay - delay) < 1e-4);
        CHECK(std::abs(std::abs(h) - 1) < 1e-4);
        worst.phase_delay = std::max(worst.phase_delay, std::abs(phase_delay - delay));
        worst.magnitude = std::max(worst.magnitude, std::abs(std::abs(h) - 1));
      }
    }
}

TEST_CASE("a sine streamed in odd blocks comes out delayed by D") {
  constexpr std::size_t blocks[] = {1, 3, 7, 127, 129, 255, 1021, 5};
  constexpr std::size_t length = 24000;
  for (double whole : {31.0, 40.0, 1000.0})
    for (double fraction : fractions)
      for (int bin : {first_bin, 700, last_bin}) {
        const double delay = whole + fraction, nu = bin / period, amplitude = 0.9;
        CAPTURE(delay);
        CAPTURE(bin);
        std::vector<float> in(length), out(length, -9.0f), one_by_one(length);
        for (std::size_t n = 0; n < length; ++n)
          in[n] = float(amplitude * std::sin(two_pi * nu * double(n)));
        FractionalDelay d(delay), reference(delay);
        for (std::size_t at = 0, b = 0; at < length; ++b) {
          const std::size_t count = std::min(blocks[b % std::size(blocks)], length - at);
          d.process(in.data() + at, out.data() + at, count);
          at += count;
        }
        for (std::size_t n = 0; n < length; ++n) one_by_one[n] = reference.process(in[n]);
        CHECK(out == one_by_one); // block sizes change nothing
        // Every tap sees the sine (the FIR is warmed up) from frame line + 63 = D - f + 32 on.
        const std::size_t warm = d.line_frames() + fir_taps - 1;
        double error = 0;
        for (std::size_t n = warm; n < length; ++n) {
          const double expected = amplitude * std::sin(two_pi * nu * (double(n) - delay));
          error = std::max(error, std::abs(double(out[n]) - expected));
        }
        CHECK(error < 1e-4);
        worst.stream = std::max(worst.stream, error);
        // Before the input's first frame has gone through the line and the FIR's centre: silence
        // (exactly, for a whole delay; the sinc's tails precede the centre otherwise).
        if (fraction == 0.0)
          for (std::size_t n = 0; n < std::size_t(delay); ++n) REQUIRE(out[n] == 0.0f);
      }
}

TEST_CASE("in place processing gives the same output") {
  std::vector<float> in(5000), out(5000);
  for (std::size_t n = 0; n < in.size(); ++n) in[n] = float(std::sin(0.01 * double(n)));
  FractionalDelay a(77.3), b(77.3);
  a.process(in.data(), out.data(), in.size());
  b.process(in.data(), in.data(), in.size());
  CHECK(in == out);
}

TEST_CASE("the path applies the gain and the polarity after the delay") {
  std::vector<float> in(4000);
  for (std::size_t n = 0; n < in.size(); ++n) in[n] = float(0.5 * std::sin(0.05 * double(n)));
  FractionalDelay reference(40.5);
  std::vector<float> delayed(in.size());
  reference.process(in.data(), delayed.data(), in.size());
  struct Case {
    double gain_db;
    bool invert;
    double scale;
  };
  for (const Case c : {Case{0, false, 1.0}, Case{0, true, -1.0}, Case{-6, false, 0.501187233627},
                       Case{-6, true, -0.501187233627}, Case{20, true, -10.0}}) {
    CAPTURE(c.gain_db);
    CAPTURE(c.invert);
    AnalogPath path(settings(40.5, c.gain_db, c.invert));
    CHECK(path.scale() == doctest::Approx(c.scale).epsilon(1e-12));
    CHECK(path.noise_rms() == 0.0);
    std::vector<float> out(in.size());
    path.process(in.data(), out.data(), in.size());
    for (std::size_t n = 0; n < in.size(); ++n)
      REQUIRE(out[n] == float(c.scale * double(delayed[n])));
  }
  CHECK_THROWS_AS(AnalogPath(settings(40, inf)), std::invalid_argument);
  CHECK_THROWS_AS(AnalogPath(settings(40, 0, false, std::nan(""))), std::invalid_argument);
  CHECK_THROWS_AS(AnalogPath(settings(12)), std::invalid_argument);
}

TEST_CASE("the noise has the RMS asked for, is white, and is the same for the same seed") {
  constexpr std::size_t length = 480000; // 10 s at 48 kHz
  const std::vector<float> silence(length, 0.0f);
  auto run = [&](double dbfs, std::uint64_t seed) {
    AnalogPath path(settings(31, 0, false, dbfs, seed));
    std::vector<float> out(length);
    for (std::size_t at = 0; at < length; at += 1000)
      path.process(silence.data() + at, out.data() + at, 1000);
    return out;
  };
  for (double dbfs : {-20.0, -40.0, -60.0, 0.0}) {
    CAPTURE(dbfs);
    const auto noise = run(dbfs, 1);
    double sum = 0, squares = 0, lag1 = 0;
    for (std::size_t n = 0; n < length; ++n) {
      sum += noise[n];
      squares += double(noise[n]) * noise[n];
      if (n > 0) lag1 += double(noise[n]) * noise[n - 1];
    }
    const double rms = std::sqrt(squares / length), expected = std::pow(10.0, dbfs / 20);
    CHECK(rms == doctest::Approx(expected).epsilon(0.01));                    // 1 %: 0.09 dB
    CHECK(std::abs(sum / length) < 5 * expected / std::sqrt(double(length))); // mean 0
    CHECK(std::abs(lag1 / squares) < 0.01);                                   // white
  }
  CHECK(run(-40, 7) == run(-40, 7));
  CHECK(run(-40, 7) != run(-40, 8));
  // The first numbers of seed 1, so that a changed generator is noticed (an integration test
  // may rely on a seed's noise).
  GaussianNoise g(1);
  CHECK(g.next() == doctest::Approx(-0.83274143446567062).epsilon(1e-12));
  CHECK(g.next() == doctest::Approx(-0.10752148995724745).epsilon(1e-12));
  CHECK(g.next() == doctest::Approx(-0.81732098111511131).epsilon(1e-12));
  CHECK(g.next() == doctest::Approx(0.66473296917503022).epsilon(1e-12));
}

TEST_CASE("noise adds to the delayed signal") {
  std::vector<float> in(20000);
  for (std::size_t n = 0; n < in.size(); ++n) in[n] = float(0.5 * std::sin(0.05 * double(n)));
  AnalogPath clean(settings(50.25, -3, true));
  AnalogPath noisy(settings(50.25, -3, true, -30, 3));
  std::vector<float> a(in.size()), b(in.size());
  clean.process(in.data(), a.data(), in.size());
  noisy.process(in.data(), b.data(), in.size());
  double squares = 0;
  for (std::size_t n = 0; n < in.size(); ++n) squares += double(b[n] - a[n]) * (b[n] - a[n]);
  CHECK(std::sqrt(squares / double(in.size())) ==
        doctest::Approx(std::pow(10.0, -30.0 / 20)).epsilon(0.03));
}
