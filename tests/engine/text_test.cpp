// Specification of the message helpers: every error reaches stderr as one line.
#include "engine/util/text.hpp"

#include <doctest/doctest.h>

using rc::one_line;

TEST_CASE("one_line folds line breaks and their indentation into '; '") {
  CHECK(one_line("plain message") == "plain message");
  CHECK(one_line("cannot read 'x': Format not recognised.\n") ==
        "cannot read 'x': Format not recognised.");
  CHECK(one_line("first\n  second\r\n\tthird") == "first; second; third");
  CHECK(one_line("trailing break; \n\n") == "trailing break");
  CHECK(one_line("\nleading") == "leading");
  CHECK(one_line("") == "");
}
