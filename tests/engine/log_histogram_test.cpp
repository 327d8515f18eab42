// Specification of LogHistogram: exact small values, bounded relative error, fixed memory.
#include "engine/stats/log_histogram.hpp"

#include <doctest/doctest.h>

using rc::LogHistogram;

TEST_CASE("an empty histogram reports zeros") {
  LogHistogram h;
  CHECK(h.count() == 0);
  CHECK(h.quantile(0.5) == 0);
  CHECK(h.max() == 0);
}

TEST_CASE("small values are exact and quantiles follow the samples") {
  LogHistogram h;
  for (std::uint64_t v = 1; v <= 50; ++v) h.record(v);
  CHECK(h.count() == 50);
  CHECK(h.min() == 1);
  CHECK(h.max() == 50);
  CHECK(h.quantile(0.5) == 25);
  CHECK(h.quantile(0.99) == 50);
  CHECK(h.mean() == doctest::Approx(25.5));
}

TEST_CASE("large values keep a relative error of at most 1/32") {
  LogHistogram h;
  for (std::uint64_t v : {1'000ull, 2'000ull, 1'000'000ull, 123'456'789ull}) {
    LogHistogram one;
    one.record(v);
    one.record(v);
    const double q = double(one.quantile(0.5));
    CHECK(q <= double(v));
    CHECK(q >= double(v) * (1.0 - 1.0 / 32));
  }
  h.record(~std::uint64_t{0} / 2);
  CHECK(h.max() == ~std::uint64_t{0} / 2);
}

TEST_CASE("p99 separates a rare outlier from the bulk") {
  LogHistogram h;
  for (int i = 0; i < 990; ++i) h.record(2'000);
  for (int i = 0; i < 10; ++i) h.record(50'000);
  // A quantile is its bucket's upper edge: within 1/32 above the true value.
  CHECK(h.quantile(0.5) <= 2'000 * 33 / 32);
  CHECK(h.quantile(0.99) <= 2'000 * 33 / 32);
  CHECK(h.quantile(0.995) >= 48'000);
  CHECK(h.max() == 50'000);
}
