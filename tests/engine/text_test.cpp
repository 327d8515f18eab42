// Specification of the message helpers: every error reaches stderr as one line; sizes for people.
#include "engine/util/shm_space.hpp"
#include "engine/util/text.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <stdexcept>
#include <string>

using rc::one_line;

TEST_CASE("one_line folds line breaks and their indentation into a semicolon and a space") {
  CHECK(one_line("plain message") == "plain message");
  CHECK(one_line("cannot read 'x': Format not recognised.\n") ==
        "cannot read 'x': Format not recognised.");
  CHECK(one_line("first\n  second\r\n\tthird") == "first; second; third");
  CHECK(one_line("trailing break; \n\n") == "trailing break");
  CHECK(one_line("\nleading") == "leading");
  CHECK(one_line("") == "");
}

TEST_CASE("size_text gives KiB below a MiB, MiB with one decimal above") {
  CHECK(rc::size_text(65536) == "64 KiB");
  CHECK(rc::size_text(1023) == "0 KiB");
  CHECK(rc::size_text(std::uint64_t{1} << 20) == "1.0 MiB");
  CHECK(rc::size_text(2'424'832) == "2.3 MiB");
}

TEST_CASE("require_free_bytes refuses in one line naming the place, the sizes and the user") {
  CHECK_NOTHROW(rc::require_free_bytes("/", 1, "a test"));
  CHECK_NOTHROW(rc::require_free_bytes("/no/such/directory", ~std::uint64_t{0}, "a test"));
  const auto free = rc::free_bytes("/");
  REQUIRE(free.has_value());
  try {
    rc::require_free_bytes("/", *free + (std::uint64_t{1} << 40), "the tap 'x'");
    FAIL("no refusal");
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    CHECK(what.rfind("/ has only ", 0) == 0);
    CHECK(what.find("is needed there for the tap 'x'") != std::string::npos);
    CHECK(what.find('\n') == std::string::npos);
  }
}
