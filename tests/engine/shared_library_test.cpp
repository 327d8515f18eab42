// tests/engine/shared_library_test.cpp - libraries loaded when first needed: a library or a
// function that is not there is one clear error naming it, never a crash later.
#include "engine/util/shared_library.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <stdexcept>
#include <string>

TEST_CASE("a shared library loads by soname and gives the functions it has") {
  const rc::SharedLibrary m("libm.so.6", "the C maths library");
  const auto cosine = m.function<double (*)(double)>("cos");
  CHECK(cosine(0.0) == 1.0);
  try {
    (void)m.function<void (*)()>("rc_no_such_function");
    FAIL("a missing function was found");
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    CHECK(what.find("the C maths library (libm.so.6) has no rc_no_such_function") == 0);
  }
}

TEST_CASE("a library that is not installed: an error naming it and the loader's reason") {
  try {
    const rc::SharedLibrary missing("librc-not-installed.so.7", "a library nobody installed");
    FAIL("a missing library loaded");
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    CHECK(what.find("cannot load a library nobody installed (librc-not-installed.so.7): ") == 0);
    CHECK(what.find("librc-not-installed.so.7: cannot open shared object file") !=
          std::string::npos);
  }
}
