// Specification of the number and duration parsers used by every command.
#include "engine/util/parse_number.hpp"

#include <doctest/doctest.h>

using rc::parse_duration;
using rc::parse_finite;

TEST_CASE("parse_finite accepts whole finite numbers only") {
  CHECK(parse_finite("2.5") == 2.5);
  CHECK(parse_finite("-3") == -3.0);
  CHECK(parse_finite("1e3") == 1000.0);
  for (const char* bad : {"", " 1", "1 ", "1x", "nan", "inf", "-inf", "0x", "--1", "1e999"})
    CHECK_MESSAGE(!parse_finite(bad), bad);
}

TEST_CASE("parse_duration takes seconds or sox-style [[hh:]mm:]ss") {
  CHECK(parse_duration("10") == 10.0);
  CHECK(parse_duration("2.5") == 2.5);
  CHECK(parse_duration("1:30") == 90.0);
  CHECK(parse_duration("01:02:03.5") == 3723.5);
  CHECK(parse_duration("0") == 0.0);
  for (const char* bad : {"", "-1", "1:60", "1.5:00", "1:2:3:4", "a", ":", "1:", "nan", "+5"})
    CHECK_MESSAGE(!parse_duration(bad), bad);
}
