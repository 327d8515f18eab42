// tests/engine/sox_position_test.cpp - sox's times and positions, on sox's own test cases
// (effects_i.c) at its test rate of 10000 Hz, and the anchors of lsx_parseposition.
#include "engine/dsp/sox_position.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>

namespace {
std::optional<std::uint64_t> at_10k(const std::string& text) {
  return rc::sox_samples(text, 10000);
}
} // namespace

TEST_CASE("sox times: samples, seconds, hh:mm:ss, rounding as sox") {
  CHECK(at_10k("0") == 0u);
  CHECK(at_10k("1") == 10000u);
  CHECK(at_10k("0s") == 0u);
  CHECK(at_10k("1s") == 1u);
  CHECK(at_10k(" 01s") == 1u);
  CHECK(at_10k("1e6s") == 1000000u);
  CHECK(at_10k("1t") == 10000u);
  CHECK(at_10k("1.1t") == 11000u);
  CHECK(at_10k(".0") == 0u);
  CHECK(at_10k("0:0:0.0") == 0u);
  CHECK(at_10k(".1") == 1000u);
  CHECK(at_10k("1.1") == 11000u);
  CHECK(at_10k("1:1.1") == 611000u);
  CHECK(at_10k("1:1:1.1") == 36611000u);
  CHECK(at_10k("1:01") == 610000u);
  CHECK(at_10k("1:") == 600000u);
  CHECK(at_10k("1::") == 36000000u);
  CHECK(at_10k("0.444444") == 4444u);
  CHECK(at_10k("0.555555") == 5556u);
}

TEST_CASE("sox times: sums and differences, a difference stops at 0") {
  CHECK(at_10k("1:23+37") == 1200000u);
  CHECK(at_10k("12t+12s") == 120012u);
  CHECK(at_10k("1e6s-10") == 900000u);
  CHECK(at_10k("10-2:00") == 0u);
}

TEST_CASE("sox times: what is not one") {
  for (const char* bad : {"", "x", "1e6t", "1.5x", "1:x", "-1", "1+", "nan", "inf", "1ss"})
    CHECK_MESSAGE(!at_10k(bad), bad);
  CHECK(!rc::sox_samples("1e300s", 10000)); // beyond any audio
}

TEST_CASE("sox positions: = from the start, + from the last position, - from the end") {
  using rc::SoxAnchor;
  const auto at = [](const std::string& text, std::optional<std::uint64_t> end,
                     SoxAnchor anchor = SoxAnchor::last) {
    const auto p = rc::sox_position(text, 10000, 50000, end, anchor);
    return p ? std::optional<std::uint64_t>(p->frames) : std::nullopt;
  };
  CHECK(at("2", 100000) == 70000u);                   // from the last position by default
  CHECK(at("2", 100000, SoxAnchor::start) == 20000u); // pad's default
  CHECK(at("=2", 100000) == 20000u);
  CHECK(at("+2", 100000) == 70000u);
  CHECK(at("-2", 100000) == 80000u);
  CHECK(at("-0", 100000) == 100000u);
  CHECK(at("-+1", 100000) == 110000u); // anchored at the end, then added
  CHECK(at("=1:00", 1000000) == 600000u);
  // An unknown end: only "-0", the end itself.
  const auto end = rc::sox_position("-0", 10000, 0, std::nullopt, SoxAnchor::last);
  REQUIRE(end);
  CHECK(end->at_unknown_end);
  CHECK(!rc::sox_position("-1", 10000, 0, std::nullopt, SoxAnchor::last));
  CHECK(!rc::sox_position("=x", 10000, 0, 100, SoxAnchor::last));
}
