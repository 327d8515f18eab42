// tests/fuzz/fuzz_numbers.cpp - libFuzzer target: arbitrary text as a number and as a duration.
//
// parse_finite must return only finite values, and one that reads back exactly from its own
// shortest round-trip spelling; parse_duration must return only finite, non-negative seconds.
#include "engine/util/parse_number.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  if (const auto value = rc::parse_finite(text)) {
    if (!std::isfinite(*value)) std::abort();
    char spelled[64];
    std::snprintf(spelled, sizeof spelled, "%.17g", *value);
    const auto again = rc::parse_finite(spelled);
    if (!again || *again != *value) std::abort();
  }
  if (const auto seconds = rc::parse_duration(text)) {
    if (!std::isfinite(*seconds) || *seconds < 0) std::abort();
  }
  return 0;
}
